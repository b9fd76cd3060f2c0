import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectCommand } from '../src/cli/detect.js';
import { runCli } from './helpers/cli.js';

const ROOT = new URL('..', import.meta.url).pathname;

async function run(args: string[], input = '') {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  stdin.end(input);
  const code = await detectCommand.run(args, { stdin, stdout, stderr, env: {}, cwd: ROOT });
  return { code, out, err, lines: out.split('\n').filter(Boolean) };
}

describe('classbot detect', () => {
  it('reads messages from stdin, one JSON object per line, skipping blank lines', async () => {
    const r = await run([], '收到\n\n孩子说被同学打了，脸都肿了\n說好的週報呢？一個月了\n');
    expect(r.code).toBe(0);
    const objects = r.lines.map((l) => JSON.parse(l));
    expect(objects.map((o) => [o.text, o.label, o.severity])).toEqual([
      ['收到', 'none', 'none'],
      ['孩子说被同学打了，脸都肿了', 'safety', 'urgent'],
      ['說好的週報呢？一個月了', 'complaint', 'high'],
    ]);
    expect(Object.keys(objects[1])).toEqual(['text', 'label', 'severity', 'score', 'reasons', 'facts']);
    expect(objects[1].facts).toContain('孩子被人欺负、威胁或伤害');
    expect(Object.keys(objects[0])).toEqual(['text', 'label', 'severity', 'score', 'reasons']);
    expect(objects[1].reasons).toContain('安全:被…打');
  });

  it('tests a phrase with --text, and a candidate term with --term before an assistant adds it', async () => {
    const before = await run(['--text', '练习册到今天都没到', '--no-model']);
    expect(JSON.parse(before.lines[0]!).label).toBe('none');
    const after = await run(['--text', '练习册到今天都没到', '--term', '练习册…没到=complaint:2', '--no-model']);
    expect(JSON.parse(after.lines[0]!)).toMatchObject({ label: 'complaint', reasons: ['投诉:练习册…没到'] });
  });

  it('uses the detector block of a playbook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-detect-'));
    const source = readFileSync(join(ROOT, 'playbooks/g3-class2.yaml'), 'utf8').replace(/^detector:[\s\S]*?(?=^\S)/m, '');
    const file = join(dir, 'class.yaml');
    writeFileSync(file, `${source}\ndetector:\n  sensitivity: quiet\n  extra_terms:\n    - { term: 练习册…没到, label: complaint }\n`);
    const r = await run(['--playbook', file, '--no-model', '--text', '练习册到今天都没到', '--text', '孩子今天哭了']);
    expect(r.err).toBe('');
    expect(r.lines.map((l) => JSON.parse(l).label)).toEqual(['complaint', 'none']);
  });

  it('evaluates a labelled file: per-label and binary figures, confusion matrix, speed', async () => {
    const r = await run(['--eval', 'tests/fixtures/worry-dev.tsv']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('共 420 条消息');
    expect(r.out).toMatch(/safety（安全）\s+\d+\.\d%\s+100\.0%/);
    expect(r.out).toMatch(/有担忧 vs 无：精确率 \d+\.\d%  召回率 \d+\.\d%  F1 \d+\.\d%/);
    expect(r.out).toContain('混淆矩阵（行：标注，列：判定）');
    expect(r.out).toMatch(/速度：每秒 \d+ 条/);
  });

  it('skips bad lines of an evaluation file with a located warning, and lists mistakes on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-detect-'));
    const file = join(dir, 'mine.tsv');
    writeFileSync(file, 'safety\t孩子被同学打了\nworried\t这行类别不对\nnone\t孩子被同学打了\n');
    const r = await run(['--eval', file, '--mistakes', '--no-model']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${file}:2: 未知类别「worried」`);
    expect(r.out).toContain('共 2 条消息');
    expect(r.out).toContain('3 none→safety：孩子被同学打了');
  });

  it('rejects bad options with a Chinese message and exit code 2; a missing file is exit 1', async () => {
    expect(await run(['--sensitivity', 'loud'])).toMatchObject({ code: 2 });
    expect((await run(['--sensitivity', 'loud'])).err).toContain('--sensitivity 只能是');
    expect((await run(['--term', '没人理'])).err).toContain('--term 应写成「词=类别」');
    expect((await run(['--term', '没人理=angry'])).code).toBe(2);
    const missing = await run(['--eval', 'no/such/file.tsv']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('无法读取 no/such/file.tsv');
  });

  it('the learned model says nothing on text without words: punctuation, emoji, digits, one character or a short unit repeated', async () => {
    const wordless = [
      '！！！！！！！！！！！！', '!!!!!!!!!!!!!!!!', '！！！！！！！！！！！！？？？？', '------------------', '。。。！！！。。。！！！',
      '😱😱😱😱😱😱😱😱😱😱😱😱', '🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥', '111111111111111', '　　！！　　！！　　！！',
      '打打打打打打打打打打打打', '！！！！！！！！！！！打', '不不不不不不不不不不不不不', '来了来了来了来了来了来了', '哈哈哈哈哈哈哈哈哈哈哈哈哈哈',
    ];
    for (const sensitivity of ['cautious', 'balanced', 'quiet']) {
      const r = await run(['--sensitivity', sensitivity], `${wordless.join('\n')}\n`);
      const verdicts = r.lines.map((l) => JSON.parse(l) as { text: string; label: string; reasons: string[] });
      expect(verdicts.map((v) => v.text)).toEqual(wordless);
      for (const v of verdicts) expect(v.reasons.filter((x) => x.startsWith('模型:')), `${sensitivity}: ${v.text}`).toEqual([]);
      // Without the model nothing here is a worry, except distress emoji the lexicon reads (cautious only).
      expect(verdicts.filter((v) => v.label !== 'none' && !v.text.startsWith('😱')).map((v) => v.text)).toEqual([]);
    }
    // Words around the same punctuation still get the model's opinion.
    const worded = await run(['--text', '那几个大孩子放学总在巷子里等我儿子 让他把零用的东西都留下！！！！！！']);
    expect(JSON.parse(worded.lines[0]!)).toMatchObject({ label: 'safety', severity: 'high' });
  });

  it('reads a megabyte-long paste at once (the real executable), and still finds the worry in its first lines', () => {
    // Quadratic stages took 3.8 s for 64k characters of 「说好的」: a million would take half an hour; the spawn timeout is the guard.
    const pastes = [`孩子说被同学打了，脸都肿了。${'说好的'.repeat(350_000)}`, `孩子最近总是哭，不想上学。${'不担心'.repeat(350_000)}`, '收到'];
    const r = runCli(['detect'], `${pastes.join('\n')}\n`);
    expect(r.status).toBe(0);
    const verdicts = r.lines.map((l) => JSON.parse(l) as { text: string; label: string; severity: string });
    expect(verdicts.map((v) => [v.text.length, v.label, v.severity])).toEqual([
      [pastes[0]!.length, 'safety', 'urgent'],
      [pastes[1]!.length, 'wellbeing', expect.any(String)],
      [2, 'none', 'none'],
    ]);
  });

  it('describes itself in Chinese', () => {
    expect(detectCommand.name).toBe('detect');
    expect(detectCommand.summary).toMatch(/[\u4e00-\u9fff]/);
    expect(detectCommand.usage).toContain('classbot detect --eval');
  });
});

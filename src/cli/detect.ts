import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createDetector, factsOf, type Detection, type DetectorOptions, type ExtraTerm, type Sensitivity, type WorryLabel, WORRY_LABELS } from '../detector/index.js';
import { detectorOptions } from '../detector/settings.js';
import { evaluate, formatReport } from '../detector/evaluate.js';
import { parseLabelledTsv } from '../detector/labelled.js';
import { formatError, loadPlaybookFile } from '../playbook/load.js';
import type { CliIO, Command } from './command.js';
import { flag, option } from './options.js';

/** What the cues of a flag say in plain Chinese (as staff read it in alerts); nothing for none. */
function facts(d: Detection): { facts?: string[] } {
  const said = factsOf(d.reasons, d.label);
  return said.length ? { facts: said } : {};
}

const SENSITIVITIES: readonly Sensitivity[] = ['cautious', 'balanced', 'quiet'];

/** Every value of a repeatable option (`--text a --text b`, `--term=x`). */
function options(args: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}` && i + 1 < args.length) values.push(args[++i]!);
    else if (a.startsWith(`--${name}=`)) values.push(a.slice(name.length + 3));
  }
  return values;
}

/** `词=类别` or `词=类别:权重`, as an assistant types it to try a term. */
function parseTerm(spec: string): ExtraTerm | string {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0) return `--term 应写成「词=类别」或「词=类别:权重」，例如 --term 没人理=complaint：${spec}`;
  const term = spec.slice(0, eq);
  const [label, weightText] = spec.slice(eq + 1).split(':');
  if (!(WORRY_LABELS as readonly string[]).includes(label ?? '')) return `--term 的类别「${label}」不对，可选：${WORRY_LABELS.join(' / ')}`;
  if (weightText === undefined) return { term, label: label as WorryLabel };
  const weight = Number(weightText);
  if (!(weight >= 0.1 && weight <= 5)) return `--term 的权重应为 0.1 到 5 之间的数字：${spec}`;
  return { term, label: label as WorryLabel, weight };
}

function fail(io: CliIO, message: string): number {
  io.stderr.write(`${message}\n`);
  return 2;
}

export const detectCommand: Command = {
  name: 'detect',
  summary: '判断家长消息是否需要跟进（学业/情绪/投诉/退费/安全），或用标注文件评估',
  usage: [
    'classbot detect [--text 消息]… [--playbook 配置.yaml] [--sensitivity cautious|balanced|quiet] [--term 词=类别[:权重]]… [--no-model]',
    '    没有 --text 时从标准输入逐行读取消息；每条输出一行 JSON：{"text","label","severity","score","reasons"}',
    '    加词前可先用 --text 试一句话，用 --term 试这个词的效果（类别 none 表示排除）',
    'classbot detect --eval 文件.tsv [--mistakes] [同上的选项]',
    '    按 shared/eval/LABELS.md 的格式（类别<TAB>消息）评估：各类精确率/召回率/F1、有担忧 vs 无、混淆矩阵、每秒条数',
  ].join('\n'),
  async run(args, io) {
    let settings: DetectorOptions = {};
    const playbookPath = option(args, 'playbook');
    if (playbookPath !== undefined) {
      const loaded = loadPlaybookFile(resolve(io.cwd, playbookPath), io.cwd);
      if (!loaded.ok) {
        for (const e of loaded.errors) io.stderr.write(`${formatError(e)}\n`);
        return 1;
      }
      settings = detectorOptions(loaded.playbook.data.detector);
    }
    const sensitivity = option(args, 'sensitivity');
    if (sensitivity !== undefined) {
      if (!(SENSITIVITIES as readonly string[]).includes(sensitivity)) {
        return fail(io, `--sensitivity 只能是 cautious（谨慎）、balanced（均衡）或 quiet（安静）：${sensitivity}`);
      }
      settings.sensitivity = sensitivity as Sensitivity;
    }
    const extra: ExtraTerm[] = [...(settings.extraTerms ?? [])];
    for (const spec of options(args, 'term')) {
      const parsed = parseTerm(spec);
      if (typeof parsed === 'string') return fail(io, parsed);
      extra.push(parsed);
    }
    const detector = createDetector({ ...settings, extraTerms: extra, secondOpinion: !flag(args, 'no-model') });

    const evalPath = option(args, 'eval');
    if (evalPath !== undefined) {
      let content: string;
      try {
        content = readFileSync(resolve(io.cwd, evalPath), 'utf8');
      } catch (e) {
        io.stderr.write(`无法读取 ${evalPath}：${(e as Error).message}\n`);
        return 1;
      }
      const { rows, errors } = parseLabelledTsv(content);
      for (const e of errors) io.stderr.write(`${evalPath}:${e.line}: ${e.message}（已跳过）\n`);
      if (rows.length === 0) {
        io.stderr.write(`${evalPath} 里没有可评估的消息。\n`);
        return 1;
      }
      io.stdout.write(formatReport(evaluate(detector, rows), { mistakes: flag(args, 'mistakes') }));
      return 0;
    }

    const write = (text: string) => {
      const d = detector.detect(text);
      io.stdout.write(`${JSON.stringify({ text, label: d.label, severity: d.severity, score: d.score, reasons: d.reasons, ...facts(d) })}\n`);
    };
    const texts = options(args, 'text');
    if (texts.length > 0) {
      texts.forEach(write);
      return 0;
    }
    for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      if (line.trim() !== '') write(line);
    }
    return 0;
  },
};

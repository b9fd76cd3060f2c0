/**
 * The playbook's `reports:` block: the scheduler posts last week's Markdown summary to the staff
 * group on Monday morning, once, through the outbox, with the full report as an HTML file written
 * inside the fire: attached where the platform takes files, else named by its place on the server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlaybook } from '../src/playbook/load.js';
import { RecordingAdapter } from './helpers/harness.js';
import { buildReportWeek, PEOPLE, PLAYBOOK, type ReportWeek } from './helpers/report-week.js';

let week: ReportWeek | undefined;
let workDir: string | undefined;
afterEach(async () => {
  await week?.t.stop();
  week = undefined;
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
});

/** A fresh directory for the bot to run in (where its report files go). */
const freshWorkDir = (): string => (workDir = mkdtempSync(join(tmpdir(), 'classbot-report-files-')));

const reportRows = (w: ReportWeek) =>
  w.t.bot.store.sqlite.prepare(`SELECT target_id AS target, status, payload FROM outbox WHERE cause = 'report'`).all() as { target: string; status: string; payload: string }[];

const staffPosts = (w: ReportWeek) => w.t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'chat-staff');

describe('scheduled weekly report', () => {
  it('posts the summary of the last complete week to the staff group, once', async () => {
    week = await buildReportWeek({ extraYaml: 'reports:\n  schedule: "0 8 * * 1"\n', workDir: freshWorkDir() });
    // The bot was down over the weekend and comes back at 09:00 on Monday: the 08:00 report still goes.
    await week.t.bot.tick();
    const posted = staffPosts(week);
    // The script started on Monday 2 November at 08:00 (W44's report) and ticked on Monday 16th at
    // 19:00, within the 12-hour grace of W46's; W45's was missed while the clock jumped.
    expect(posted.map((m) => m.text.split('\n')[0])).toEqual([
      '**📊 三年级二班 活动周报 2026-W44（2026-10-26 至 2026-11-01）**',
      '**📊 三年级二班 活动周报 2026-W46（2026-11-09 至 2026-11-15）**',
      '**📊 三年级二班 活动周报 2026-W47（2026-11-16 至 2026-11-22）**',
    ]);
    expect(posted.every((m) => m.format === 'markdown')).toBe(true);
    const text = posted[2]!.text;
    expect(text).toContain('- 成员 6（+1），活跃 4（±0），消息 8（+3）');
    expect(text).toContain('- 需要关怀 4 人：陈妈妈（9 天未发言，1 件跟进未结）');
    expect(reportRows(week).map((r) => [r.target, r.status])).toEqual(Array(3).fill(['chat-staff', 'sent']));
    // Families never see it.
    expect(week.t.adapter.textsTo('chat-a').concat(week.t.adapter.textsTo('chat-b')).some((t) => t.includes('周报'))).toBe(false);

    // The full report goes with it as a file, written by the fire under the working directory.
    const dir = workDir!;
    const file = join(dir, 'reports', '2026-W47', 'report-2026-W47-g3.html');
    expect(posted[2]!.attachment).toEqual({ path: file, name: 'report-2026-W47-g3.html', mime: 'text/html' });
    expect(text).not.toContain('完整报表');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<title>三年级二班 活动周报 2026-W47（2026-11-16 至 2026-11-22）</title>');
    expect(html).toContain('陈妈妈');
    // Each posted week has its own file (W45's fire was missed: no post, no file).
    expect(posted.map((m) => m.attachment?.path)).toEqual(['2026-W44', '2026-W46', '2026-W47'].map((w) => join(dir, 'reports', w, `report-${w}-g3.html`)));
    expect(existsSync(join(dir, 'reports', '2026-W45'))).toBe(false);
    // The attachment travelled through the outbox row, like every other field.
    expect(JSON.parse(reportRows(week)[2]!.payload).attachment).toEqual(posted[2]!.attachment);

    // Claimed fires do not run again: no second post, and the file is not written again either.
    rmSync(file);
    week.t.clock.advance(60 * 60_000);
    await week.t.bot.tick();
    expect(reportRows(week)).toHaveLength(3);
    expect(existsSync(file)).toBe(false);
  });

  it('names the file by its place on the server where the platform cannot send files', async () => {
    const dir = freshWorkDir();
    week = await buildReportWeek({ extraYaml: 'reports:\n  dir: out/周报\n', workDir: dir, adapter: new RecordingAdapter({ files: false }) });
    await week.t.bot.tick();
    const last = staffPosts(week).at(-1)!;
    expect(last.attachment).toBeUndefined();
    expect(last.text.split('\n').slice(-3)).toEqual(['| 三年级二班B群 | 2 | 2 | 4（+3） | 75% | 2 | 1 |', '', '完整报表：out/周报/2026-W47/report-2026-W47-g3.html']);
    expect(readFileSync(join(dir, 'out', '周报', '2026-W47', 'report-2026-W47-g3.html'), 'utf8')).toContain('2026-W47');
  });

  it('writes plain lines, not markdown, where the chat shows markdown as typed (WeChat)', async () => {
    const adapter = new RecordingAdapter({ files: false });
    adapter.capabilities.markdown = false;
    week = await buildReportWeek({ extraYaml: 'reports:\n  schedule: "0 8 * * 1"\n', workDir: freshWorkDir(), adapter });
    await week.t.bot.tick();
    const last = staffPosts(week).at(-1)!;
    expect(last.format).toBe('text');
    expect(last.text.split('\n')[0]).toBe('【📊 三年级二班 活动周报 2026-W47（2026-11-16 至 2026-11-22）】');
    expect(last.text).toContain('· 三年级二班B群：成员 2，活跃 2，消息 4（+3），打卡完成率 75%，新开跟进 2，需关怀 1');
    expect(last.text).not.toMatch(/\*\*|\|---|^\|/m);
  });

  it('still posts the summary when the file cannot be written', async () => {
    const dir = freshWorkDir();
    // A plain file where the reports directory should be.
    writeFileSync(join(dir, 'reports'), '');
    week = await buildReportWeek({ extraYaml: 'reports: {}\n', workDir: dir });
    await week.t.bot.tick();
    const last = staffPosts(week).at(-1)!;
    expect(last.text.split('\n')[0]).toBe('**📊 三年级二班 活动周报 2026-W47（2026-11-16 至 2026-11-22）**');
    expect(last.attachment).toBeUndefined();
    expect(last.text).not.toContain('完整报表');
    expect(reportRows(week).every((r) => r.status === 'sent')).toBe(true);
  });

  it('names nobody when the playbook asks for pseudonyms', async () => {
    week = await buildReportWeek({ extraYaml: 'reports:\n  pseudonymize: true\n', workDir: freshWorkDir() });
    await week.t.bot.tick();
    const text = JSON.parse(reportRows(week).at(-1)!.payload).text as string;
    expect(text).toMatch(/需要关怀 4 人：成员-[2-9A-Z]{6}（9 天未发言/);
    const { attachment } = staffPosts(week).at(-1)!;
    expect(attachment?.name).toBe('report-2026-W47-g3-anon.html');
    const html = readFileSync(attachment!.path, 'utf8');
    expect(html).toMatch(/成员-[2-9A-Z]{6}/);
    for (const p of Object.values(PEOPLE)) {
      expect(text).not.toContain(p.name);
      expect(html).not.toContain(p.name);
    }
  });

  it('needs a staff group to post to', () => {
    const noStaffGroup = PLAYBOOK.replace(/^staff_group:.*\n/m, '') + 'reports: {}\n';
    const r = parsePlaybook(noStaffGroup, 'g3.yaml', 'g3');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['reports: 定时周报会发到老师群，请先配置 staff_group']);
    expect(parsePlaybook(PLAYBOOK + 'reports:\n  schedule: "0 25 * * 1"\n', 'g3.yaml', 'g3').ok).toBe(false);
  });

  it('keeps report files under the working directory', () => {
    const dirError = (dir: string) => {
      const r = parsePlaybook(`${PLAYBOOK}reports:\n  dir: "${dir}"\n`, 'g3.yaml', 'g3');
      return r.ok ? null : r.errors.map((e) => `${e.path}: ${e.message}`);
    };
    const outside = ['reports.dir: 只能是机器人运行目录下的相对路径（如 reports），不能以 / 开头或用 .. 跳出'];
    expect(dirError('/var/reports')).toEqual(outside);
    expect(dirError('../reports')).toEqual(outside);
    expect(dirError('reports/../../x')).toEqual(outside);
    expect(dirError('')).toEqual(['reports.dir: 请写一个目录，如 reports']);
    expect(dirError('data/reports')).toBeNull();
    expect(dirError('reports/../weekly')).toBeNull();
  });
});

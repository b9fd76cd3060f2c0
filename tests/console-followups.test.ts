/**
 * Follow-ups as an assistant sees them on the console (`npm start`) with the example playbook
 * g3-class2: the real executable, a database file, and time moved with /time.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.js';
import { runCli } from './helpers/cli.js';

const db = () => join(mkdtempSync(join(tmpdir(), 'classbot-console-fu-')), 'bot.db');
const NOW = '2026-11-23T18:00:00+08:00';
const WORRIED = '孩子最近作业写到十一点，跟不上，好焦虑';
const STAFF = '[三年级二班老师群] 🤖 classbot:';
const CLASS = '[三年级二班家长群] 🤖 classbot:';

describe('follow-ups on the console', () => {
  it('a worried message gets the group reply and the staff alert; /time +40m without a claim shows the escalation', () => {
    const r = runCli(['run', '--console', '--db', db(), '--now', NOW], `/as 王妈妈\n${WORRIED}\n/time +40m\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const at = r.lines.indexOf(`18:00 [三年级二班家长群] 王妈妈: ${WORRIED}`);
    expect(at).toBeGreaterThan(0);
    expect(r.lines.slice(at + 1)).toEqual([
      `18:00 ${STAFF} @李老师 🔔 跟进 #1｜学习·中`,
      '18:00     班级：三年级二班 · 三年级二班家长群',
      '18:00     家长：王妈妈',
      `18:00     消息：${WORRIED}`,
      '18:00     因为消息里提到孩子学得吃力、作业慢、作业写到很晚、成绩下滑或跟不上。',
      '18:00     负责：李老师 · 18:15 前认领 · 11月24日 18:00 前解决',
      '18:00     ▸ 认领：/认领 1',
      '18:00     ▸ 解决：/解决 1',
      '18:00     ▸ 误报：/误报 1',
      `18:00 ${CLASS} @王妈妈 理解您的着急🙏 李老师稍后私信联系您，一起看看怎么帮孩子。`,
      `18:15 ${STAFF} @王老师 ⏰ 跟进 #1（学习·中，王妈妈）认领时限 18:15 已过，仍无人认领，请协助跟进。`,
      '18:15     ▸ 认领：/认领 1',
      '18:15     ▸ 解决：/解决 1',
      '18:15     ▸ 误报：/误报 1',
      `18:30 ${STAFF} @张主任 ⏰ 跟进 #1（学习·中，王妈妈）认领时限 18:15 已过，仍无人认领，请协助跟进。`,
      '18:30     ▸ 认领：/认领 1',
      '18:30     ▸ 解决：/解决 1',
      '18:30     ▸ 误报：/误报 1',
      '⏰ 现在是 11月23日 周一 18:40',
    ]);
  });

  it('punctuation, emoji or one character repeated opens no follow-up, even late at night; the next worried message is #1', () => {
    const wordless = ['！！！！！！！！！！！！', '!!!!!!!!!!!!!!!!', '------------------', '打打打打打打打打打打打打', '😱😱😱😱😱😱😱😱😱😱😱😱'];
    const r = runCli(['run', '--console', '--db', db(), '--now', '2026-11-23T23:30:00+08:00'], `/as 王妈妈\n${wordless.join('\n')}\n${WORRIED}\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const last = r.lines.indexOf(`23:30 [三年级二班家长群] 王妈妈: ${wordless.at(-1)}`);
    expect(last).toBeGreaterThan(0);
    const afterWordless = r.lines.slice(r.lines.indexOf(`23:30 [三年级二班家长群] 王妈妈: ${wordless[0]}`), last + 1);
    expect(afterWordless).toEqual(wordless.map((t) => `23:30 [三年级二班家长群] 王妈妈: ${t}`));
    expect(r.lines[last + 1]).toBe(`23:30 [三年级二班家长群] 王妈妈: ${WORRIED}`);
    expect(r.lines.filter((l) => l.includes('🔔 跟进'))).toEqual([`23:30 ${STAFF} @李老师 🔔 跟进 #1｜学习·中`]);
  });

  it('a parent cannot claim; a claim stops the escalation; resolving asks the parent, whose rating is thanked', () => {
    const input = [
      '/as 王妈妈',
      WORRIED,
      '/认领 1',
      '/in 三年级二班老师群',
      '/as 李老师',
      '/认领 1',
      '/time +40m',
      '/解决 1 已电话沟通，约了周三面谈',
      '/in 三年级二班家长群',
      '/as 王妈妈',
      '5',
    ].join('\n');
    const r = runCli(['run', '--console', '--db', db(), '--now', NOW], `${input}\n`);
    expect(r.status).toBe(0);
    const bot = r.lines.filter((l) => l.includes('🤖 classbot:')).map((l) => l.replace(/^\d\d:\d\d /, ''));
    expect(bot.slice(2)).toEqual([
      `${CLASS} @王妈妈 抱歉，这个指令只有老师和助教可以使用哦～有问题可以直接@我或私信李老师。`,
      `${STAFF} ✅ 李老师 认领了跟进 #1（王妈妈），请在 11月24日 18:00 前解决。`,
      `${CLASS} @王妈妈 您好，之前的事情李老师已经处理好了。想听听您的感受：这次的帮助您打几分？直接回复 1–5 就好（5 分最满意）。`,
      `${STAFF} ✅ 跟进 #1（王妈妈）已解决，已请家长评价。`,
      `${CLASS} 谢谢您的评价！我们会继续努力 🙏`,
    ]);
    expect(r.lines.some((l) => l.includes('⏰ 跟进'))).toBe(false);
  });
});

/** `HH:MM` + minutes, on a 24-hour clock. */
const plus = (hhmm: string, minutes: number) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const t = (h * 60 + m + minutes) % 1440;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
};
/** The first line of each bot message to the staff group, without its time. */
const staffPosts = (lines: string[]) => lines.filter((l) => l.includes(STAFF));

/** What the store recorded of follow-up 1: its escalation steps in order. */
function stepsOf(path: string): { action: string; detail: string | null; at: string }[] {
  const store = openStore(path);
  try {
    return (store.sqlite.prepare(`SELECT action, detail, at FROM followup_events WHERE followup_id = 1 AND action IN ('escalated', 'resolve_overdue', 'digest') ORDER BY id`).all() as {
      action: string;
      detail: string | null;
      at: number;
    }[]).map((e) => ({ ...e, at: new Date(e.at).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }) }));
  } finally {
    store.close();
  }
}

describe('the escalation ladder on the console (issue 16, item 1)', () => {
  const REPORTED = '孩子说有人在厕所里打他，还不让告诉老师';
  const SAFETY_REALERT = '🚨 安全跟进 #1（马妈妈）仍无人认领，请立即处理！';
  const OVERDUE = '⏳ 跟进 #1（安全·紧急，马妈妈）解决时限 01:00 已过，仍未解决';

  it('the night of the repro: the whole chain alerted at once and re-alerted every 5 minutes until claimed, the 01:00 deadline announced, the 07:00 digest', () => {
    const path = db();
    const r = runCli(['run', '--console', '--db', path, '--now', '2026-11-24T23:00+08:00'], `/as 马妈妈\n${REPORTED}\n/time +3h\n/time 08:00\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const posts = staffPosts(r.lines);
    expect(posts[0]).toBe(`23:00 ${STAFF} @李老师 @王老师 @张主任 🚨 跟进 #1｜安全·紧急`);
    const realerts = posts.filter((l) => l.endsWith(SAFETY_REALERT));
    // 23:05 … 08:00: one per respond window (5 minutes in g3-class2), quiet hours or not.
    // An urgent case starts at the top of the chain and repeats there.
    const expected = Array.from({ length: 108 }, (_, i) => `${plus('23:00', 5 * (i + 1))} ${STAFF} @李老师 @王老师 @张主任 ${SAFETY_REALERT}`);
    expect(realerts).toEqual(expected);
    expect(posts.filter((l) => l.includes(OVERDUE))).toEqual([
      `01:00 ${STAFF} @李老师 @王老师 ${OVERDUE}（负责：李老师）。请 李老师、王老师 尽快处理。`,
    ]);
    const digest = r.lines.indexOf(`07:00 ${STAFF} ☀️ 早上好！待处理的跟进 1 条，其中已超时 1 条：`);
    expect(digest).toBeGreaterThan(0);
    expect(r.lines[digest + 1]).toBe('07:00     #1 安全·紧急 · 马妈妈 · 已开 8小时 · 待认领（李老师） · ⚠️ 已超时');
    expect(posts.filter((l) => l.includes('早上好！待处理的跟进'))).toHaveLength(1);
    // Nothing else reached the staff group: the alert, the ladder, the overdue notice, the digest.
    expect(posts).toHaveLength(1 + 108 + 1 + 1);

    const steps = stepsOf(path);
    expect(steps.filter((e) => e.action === 'escalated').map((e) => e.detail)).toEqual(
      Array.from({ length: 108 }, () => '第3级，@李老师、王老师、张主任'),
    );
    expect(steps.filter((e) => e.action !== 'escalated')).toEqual([
      { action: 'resolve_overdue', detail: '李老师、王老师', at: '01:00' },
      { action: 'digest', detail: '2026-11-25', at: '07:00' },
    ]);
  });

  it('a claim stops the ladder; the missed resolve deadline goes to the assignee and the next up; the digest shows who has it', () => {
    const path = db();
    const input = [
      '/as 马妈妈',
      REPORTED,
      '/time +12m',
      '/in 三年级二班老师群',
      '/as 王老师',
      '/认领 1',
      '/time 08:00',
    ].join('\n');
    const r = runCli(['run', '--console', '--db', path, '--now', '2026-11-24T23:00+08:00'], `${input}\n`);
    expect(r.status).toBe(0);
    const posts = staffPosts(r.lines);
    expect(posts.filter((l) => l.endsWith(SAFETY_REALERT))).toEqual([
      `23:05 ${STAFF} @李老师 @王老师 @张主任 ${SAFETY_REALERT}`,
      `23:10 ${STAFF} @李老师 @王老师 @张主任 ${SAFETY_REALERT}`,
    ]);
    expect(posts.filter((l) => l.includes(OVERDUE))).toEqual([
      `01:00 ${STAFF} @王老师 @张主任 ${OVERDUE}（负责：王老师）。请 王老师、张主任 尽快处理。`,
    ]);
    const digest = r.lines.indexOf(`07:00 ${STAFF} ☀️ 早上好！待处理的跟进 1 条，其中已超时 1 条：`);
    expect(r.lines[digest + 1]).toBe('07:00     #1 安全·紧急 · 马妈妈 · 已开 8小时 · 处理中（王老师） · ⚠️ 已超时');
  });

  it('the report counts each case’s re-alerts and its overdue announcement', () => {
    const path = db();
    const run = runCli(['run', '--console', '--db', path, '--now', '2026-11-24T23:00+08:00'], `/as 马妈妈\n${REPORTED}\n/time +30m\n/in 三年级二班老师群\n/as 李老师\n/认领 1\n/跟进详情 1\n/time 02:00\n`);
    // The record shows the repeats at the top as one line.
    expect(run.lines.filter((l) => l.includes('升级提醒'))).toEqual([
      '23:30     · 23:05–23:30 系统 升级提醒 ×6：第3级，@李老师、王老师、张主任',
    ]);
    const out = mkdtempSync(join(tmpdir(), 'classbot-console-fu-report-'));
    const r = runCli(['report', '--db', path, '--from', '2026-11-24', '--to', '2026-11-25', '--playbook', 'g3-class2', '--format', 'csv,md', '--out', out, '--now', '2026-11-26T09:00+08:00']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const csvDir = readdirSync(out).find((f) => f.endsWith('-csv'))!;
    const items = readFileSync(join(out, csvDir, 'followup_items.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const header = items[0]!.split(',');
    const row = items[1]!.split(',');
    const cell = (name: string) => row[header.indexOf(name)];
    // Claimed at 23:30 after six re-alerts (23:05 … 23:30); still unresolved at 01:00.
    expect([cell('编号'), cell('升级提醒'), cell('已发解决超时提醒')]).toEqual(['1', '6', '是']);
    const md = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.md'))!), 'utf8');
    expect(md).toContain('升级提醒 6 次，解决超时提醒 1 条');
  });
});

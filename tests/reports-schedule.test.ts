/**
 * The playbook's `reports:` block: the scheduler posts last week's Markdown summary to the staff
 * group on Monday morning, once, through the outbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlaybook } from '../src/playbook/load.js';
import { buildReportWeek, PEOPLE, PLAYBOOK, type ReportWeek } from './helpers/report-week.js';

let week: ReportWeek | undefined;
afterEach(async () => {
  await week?.t.stop();
  week = undefined;
});

const reportRows = (w: ReportWeek) =>
  w.t.bot.store.sqlite.prepare(`SELECT target_id AS target, status, payload FROM outbox WHERE cause = 'report'`).all() as { target: string; status: string; payload: string }[];

describe('scheduled weekly report', () => {
  it('posts the summary of the last complete week to the staff group, once', async () => {
    week = await buildReportWeek({ extraYaml: 'reports:\n  schedule: "0 8 * * 1"\n' });
    // The bot was down over the weekend and comes back at 09:00 on Monday: the 08:00 report still goes.
    await week.t.bot.tick();
    const posted = week.t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'chat-staff');
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

    week.t.clock.advance(60 * 60_000);
    await week.t.bot.tick();
    expect(reportRows(week)).toHaveLength(3);
  });

  it('names nobody when the playbook asks for pseudonyms', async () => {
    week = await buildReportWeek({ extraYaml: 'reports:\n  pseudonymize: true\n' });
    await week.t.bot.tick();
    const text = JSON.parse(reportRows(week).at(-1)!.payload).text as string;
    expect(text).toMatch(/需要关怀 4 人：成员-[2-9A-Z]{6}（9 天未发言/);
    for (const p of Object.values(PEOPLE)) expect(text).not.toContain(p.name);
  });

  it('needs a staff group to post to', () => {
    const noStaffGroup = PLAYBOOK.replace(/^staff_group:.*\n/m, '') + 'reports: {}\n';
    const r = parsePlaybook(noStaffGroup, 'g3.yaml', 'g3');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['reports: 定时周报会发到老师群，请先配置 staff_group']);
    expect(parsePlaybook(PLAYBOOK + 'reports:\n  schedule: "0 25 * * 1"\n', 'g3.yaml', 'g3').ok).toBe(false);
  });
});

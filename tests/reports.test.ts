/**
 * The report model over a known fortnight (tests/helpers/report-week.ts): every figure of W47,
 * per group and for all groups, worked out by hand from the script of the week.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type GroupReport, type ReportModel } from '../src/reports/model.js';
import { pseudonym, pseudonymSecret } from '../src/reports/pseudonym.js';
import { dateRange, lastCompleteWeek, previousRange, rangeBounds, weekRange } from '../src/reports/range.js';
import { followupRepo } from '../src/features/followups/repo.js';
import { buildReportWeek, RANGE, REPORT_NOW, type ReportWeek } from './helpers/report-week.js';

let week: ReportWeek;
let model: ReportModel;
const byKey = (key: string) => model.groups.find((g) => g.groupKey === key)!;

beforeAll(async () => {
  week = await buildReportWeek();
  model = buildReport(week.t.bot.store, week.t.bot.engine.playbooks, RANGE, { now: REPORT_NOW });
});
afterAll(() => week.t.stop());

describe('report period', () => {
  it('is the ISO week in the playbook timezone, compared with the week before', () => {
    expect(model.range).toEqual({ from: '2026-11-16', to: '2026-11-22', label: '2026-W47' });
    expect(model.previous).toEqual({ from: '2026-11-09', to: '2026-11-15', label: '2026-W46' });
    expect(rangeBounds(RANGE, 'Asia/Shanghai')).toEqual({ start: Date.parse('2026-11-16T00:00+08:00'), end: Date.parse('2026-11-23T00:00+08:00') });
    expect(rangeBounds(RANGE, 'Europe/London').start).toBe(Date.parse('2026-11-16T00:00Z'));
  });

  it('defaults to the last complete week, and accepts date ranges', () => {
    expect(lastCompleteWeek(REPORT_NOW, 'Asia/Shanghai').label).toBe('2026-W47');
    // Sunday night in Shanghai: W47 is not over yet.
    expect(lastCompleteWeek(Date.parse('2026-11-22T23:30+08:00'), 'Asia/Shanghai').label).toBe('2026-W46');
    // …while in UTC (15:30) it is the same Sunday as well.
    expect(lastCompleteWeek(Date.parse('2026-11-22T23:30+08:00'), 'UTC').label).toBe('2026-W46');
    expect(lastCompleteWeek(Date.parse('2027-01-04T09:00+08:00'), 'Asia/Shanghai')).toEqual({ from: '2026-12-28', to: '2027-01-03', label: '2026-W53' });
    expect(dateRange('2026-11-16', '2026-11-22')).toEqual(RANGE);
    expect(dateRange('2026-11-01', '2026-11-30')).toEqual({ from: '2026-11-01', to: '2026-11-30', label: '2026-11-01_2026-11-30' });
    expect(previousRange({ from: '2026-11-01', to: '2026-11-30', label: 'x' })).toEqual({ from: '2026-10-02', to: '2026-10-31', label: '2026-10-02_2026-10-31' });
    expect(dateRange('2026-11-30', '2026-11-01')).toMatch(/早于/);
    expect(dateRange('2026-11-31', '2026-12-01')).toMatch(/格式不对/);
    expect(weekRange('2026-W54')).toBeNull();
  });
});

describe('per group', () => {
  it('counts families (not staff), active families and their messages, against the week before', () => {
    expect(byKey('a').activity).toEqual({ members: 4, activeMembers: 2, messages: 4, previous: { members: 4, activeMembers: 3, messages: 4 } });
    expect(byKey('b').activity).toEqual({ members: 2, activeMembers: 2, messages: 4, previous: { members: 1, activeMembers: 1, messages: 1 } });
  });

  it('gives check-in participation per day, completion, streaks and awards', () => {
    const a = byKey('a').checkins;
    expect(a.days.map((d) => [d.date.slice(8), d.members, d.checkedIn, d.excused, d.gameDay])).toEqual([
      ['16', 4, 2, 0, true], ['17', 4, 2, 0, true], ['18', 4, 2, 0, true], ['19', 4, 1, 0, true],
      ['20', 4, 1, 1, true], ['21', 4, 1, 0, true], ['22', 4, 1, 0, true],
    ]);
    expect([a.checkins, a.expected, a.completionRate]).toEqual([10, 27, 10 / 27]);
    // 王妈妈 10 days (7 or more); 李爸爸 broke on the 19th; 陈妈妈 never; 赵爸爸 only excused.
    expect(a.streaks.map((b) => b.members)).toEqual([3, 0, 0, 1]);
    expect(a.streaks.map((b) => [b.min, b.max])).toEqual([[0, 0], [1, 2], [3, 6], [7, null]]);
    // 王妈妈's badge came on the 15th, before the week.
    expect(a.awards).toEqual([{ kind: 'badge', name: '三日之星', members: 1 }, { kind: 'level', name: '青铜', members: 2 }]);

    const b = byKey('b').checkins;
    // 刘爸爸 joined on the 18th.
    expect(b.days.map((d) => [d.members, d.checkedIn])).toEqual([[1, 1], [1, 1], [2, 2], [2, 2], [2, 1], [2, 1], [2, 1]]);
    expect([b.checkins, b.expected, b.completionRate]).toEqual([9, 12, 0.75]);
    expect(b.streaks.map((x) => x.members)).toEqual([1, 0, 0, 1]);
    expect(b.awards).toEqual([{ kind: 'badge', name: '三日之星', members: 1 }]);
  });

  it('counts the reminders sent by the scheduler and the check-ins that followed them that day', () => {
    expect(byKey('a').reminders).toEqual({ sent: 2, checkinsAfter: 2 });
    expect(byKey('b').reminders).toEqual({ sent: 2, checkinsAfter: 2 });
  });

  it('counts worried messages by category, most urgent first', () => {
    expect(byKey('a').worried).toEqual([{ category: 'academic', messages: 1 }]);
    expect(byKey('b').worried).toEqual([{ category: 'safety', messages: 1 }, { category: 'wellbeing', messages: 1 }]);
  });

  it('counts follow-up steps taken in the week, response and resolution times, breaches and ratings', () => {
    const a = byKey('a').followups;
    expect(a.overall).toEqual({
      category: '*', cases: 3, opened: 2, claimed: 2, resolved: 1, dismissed: 1,
      // 10 min (F1), 5 min (F3), 2820 min (F4: opened the week before, dismissed on Monday 09:00).
      firstResponse: { n: 3, median: 10, p90: expect.closeTo(10 + 0.8 * 2810, 6) },
      resolution: { n: 1, median: 240, p90: 240 },
      respondDeadline: null, respondBreaches: 0, resolveBreaches: 0, ratings: 1, averageRating: 5, realerts: 0, overdueAnnouncements: 0,
    });
    expect(a.byCategory.map((f) => [f.category, f.opened, f.claimed, f.resolved, f.dismissed, f.respondDeadline])).toEqual([
      ['complaint', 1, 1, 0, 0, 30], ['academic', 1, 1, 1, 0, 15], ['question', 0, 0, 0, 1, 15],
    ]);
    // The direct-message follow-up of 陈妈妈 counts in her group.
    expect(a.items.map((i) => [i.id, i.member, i.status])).toEqual([[4, '李爸爸', 'dismissed'], [1, '王妈妈', 'resolved'], [3, '陈妈妈', 'claimed']]);

    const b = byKey('b').followups;
    expect(b.overall).toMatchObject({
      opened: 2, claimed: 1, resolved: 1, dismissed: 0,
      firstResponse: { n: 1, median: 30, p90: 30 },
      resolution: { n: 1, median: 180, p90: 180 },
      // F2 claimed after 30 of 10 minutes and resolved after 3 of 2 hours; F5 unanswered past 23:15 Sunday.
      respondBreaches: 2, resolveBreaches: 1, ratings: 1, averageRating: 3,
    });
    expect(b.byCategory.map((f) => [f.category, f.respondBreaches, f.resolveBreaches])).toEqual([['safety', 1, 1], ['wellbeing', 1, 0]]);
  });

  it('lists members who need care, with every reason, most reasons first', () => {
    const care = (g: GroupReport) => g.care.map((c) => [c.name, c.inactiveDays, c.lastSeen, c.brokenStreaks.map((s) => `${s.game}:${s.streak}:${s.lastDay}`), c.openFollowups.map((f) => `${f.id}:${f.category}:${f.status}`)]);
    expect(care(byKey('a'))).toEqual([
      ['陈妈妈', 9, '2026-11-13', [], ['3:complaint:claimed']],
      ['赵爸爸', 20, '2026-11-02', [], []],
      ['李爸爸', null, null, ['晨读:5:2026-11-18'], []],
    ]);
    expect(care(byKey('b'))).toEqual([['刘爸爸', null, null, ['晨读:2:2026-11-19'], ['5:wellbeing:open']]]);
  });
});

describe('all groups together', () => {
  it('adds counts and recomputes rates, medians and percentiles from the parts', () => {
    const all = model.all;
    expect([all.playbookId, all.groupName]).toEqual([null, '全部群']);
    expect(all.activity).toEqual({ members: 6, activeMembers: 4, messages: 8, previous: { members: 5, activeMembers: 4, messages: 5 } });
    expect(all.checkins.days.map((d) => [d.members, d.checkedIn, d.excused])).toEqual([[5, 3, 0], [5, 3, 0], [6, 4, 0], [6, 3, 0], [6, 2, 1], [6, 2, 0], [6, 2, 0]]);
    expect([all.checkins.checkins, all.checkins.expected, all.checkins.completionRate]).toEqual([19, 39, 19 / 39]);
    expect(all.checkins.streaks.map((b) => b.members)).toEqual([4, 0, 0, 2]);
    expect(all.checkins.awards).toEqual([{ kind: 'badge', name: '三日之星', members: 2 }, { kind: 'level', name: '青铜', members: 2 }]);
    expect(all.reminders).toEqual({ sent: 4, checkinsAfter: 4 });
    expect(all.worried).toEqual([{ category: 'safety', messages: 1 }, { category: 'wellbeing', messages: 1 }, { category: 'academic', messages: 1 }]);
    expect(all.followups.overall).toMatchObject({
      opened: 4, claimed: 3, resolved: 2, dismissed: 1,
      firstResponse: { n: 4, median: 20, p90: expect.closeTo(30 + 0.7 * 2790, 6) },
      resolution: { n: 2, median: 210, p90: expect.closeTo(180 + 0.9 * 60, 6) },
      respondBreaches: 2, resolveBreaches: 1, ratings: 2, averageRating: 4,
    });
    expect(all.care.map((c) => c.name)).toEqual(['陈妈妈', '赵爸爸', '李爸爸', '刘爸爸']);
  });
});

describe('pseudonyms', () => {
  it('replace every person with a stable pseudonym from a per-install secret', () => {
    const store = week.t.bot.store;
    const secret = pseudonymSecret(store);
    expect(pseudonymSecret(store)).toBe(secret);
    const anon = buildReport(store, week.t.bot.engine.playbooks, RANGE, { now: REPORT_NOW, pseudonymSecret: secret });
    const again = buildReport(store, week.t.bot.engine.playbooks, RANGE, { now: REPORT_NOW, pseudonymSecret: secret });
    expect(anon.pseudonymized).toBe(true);
    const names = anon.all.care.map((c) => c.name);
    expect(names).toEqual(again.all.care.map((c) => c.name));
    expect(names.every((n) => /^成员-[2-9A-HJ-NP-Z]{6}$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(4);
    expect(names[0]).toBe(pseudonym(secret, 'member', week.memberId('chen')));
    expect(anon.all.followups.items.map((i) => i.assignee)).toEqual(Array(5).fill(pseudonym(secret, 'staff', '李老师')));
    // Nothing in the model still names a person.
    const json = JSON.stringify(anon);
    for (const real of ['王妈妈', '李爸爸', '陈妈妈', '赵爸爸', '张妈妈', '刘爸爸', '李老师']) expect(json).not.toContain(real);
    // Another install (another secret) gives other pseudonyms.
    expect(pseudonym('another secret', 'member', week.memberId('chen'))).not.toBe(names[0]);
  });
});

describe('a check-in made through the engine, in a week still in progress', () => {
  it('counts as a check-in after the reminder and as a message, judged as of today', async () => {
    const { testBot } = await import('./helpers/harness.js');
    const { PLAYBOOK } = await import('./helpers/report-week.js');
    const t = await testBot({ 'g3.yaml': PLAYBOOK }, { now: '2026-11-23T18:00:00+08:00' });
    try {
      const say = (who: string, text: string) => t.say({ id: who, name: who }, text, { groupId: 'chat-a', groupName: '三年级二班A群' });
      await say('周妈妈', '晨读打卡');
      await t.advance(60 * 60_000);
      await say('吴爸爸', '晨读打卡');
      const m = buildReport(t.bot.store, t.bot.engine.playbooks, weekRange('2026-W48')!, { now: t.clock.now() });
      const a = m.groups.find((g) => g.groupKey === 'a')!;
      expect(a.activity).toMatchObject({ members: 2, activeMembers: 2, messages: 2 });
      expect(a.checkins.days[0]).toEqual({ date: '2026-11-23', gameDay: true, members: 2, checkedIn: 2, excused: 0 });
      // The week is in progress: the days still ahead are not due yet.
      expect([a.checkins.checkins, a.checkins.expected, a.checkins.completionRate]).toEqual([2, 2, 1]);
      // The 19:00 reminder came between them; the day is not over, so nobody's streak is broken.
      expect(a.reminders).toEqual({ sent: 1, checkinsAfter: 1 });
      expect(a.checkins.streaks.map((b) => b.members)).toEqual([0, 2, 0, 0]);
      expect(a.care).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});

describe('a past week, run again after its follow-ups moved on', () => {
  it('describes the week as it stood at its end (from the audit trail)', async () => {
    const w = await buildReportWeek();
    try {
      const store = w.t.bot.store;
      const repo = followupRepo(store);
      const at = (local: string) => Date.parse(`${local}+08:00`);
      const groupA = (store.sqlite.prepare(`SELECT id FROM groups WHERE group_key = 'a'`).get() as { id: number }).id;
      // F6: a question in A, answered within its hour, unresolved past its deadline (Saturday 10:00) at the week's end.
      let f6 = repo.insert(
        {
          playbookId: 'g3', platform: 'console', groupId: groupA, memberId: w.memberId('zhao'), messageId: null, message: null, category: 'question',
          severity: 'medium', source: 'detector', assignee: '李老师', score: null, reasons: null, openedAt: at('2026-11-20T10:00'),
          respondBy: at('2026-11-20T11:00'), resolveBy: at('2026-11-21T10:00'), escalationLevel: 0, escalateAt: null,
        },
        'system',
        null,
      );
      f6 = repo.change(f6, { status: 'claimed', claimedAt: at('2026-11-20T10:30') }, at('2026-11-20T10:30'), '李老师', 'claimed');
      const playbooks = w.t.bot.engine.playbooks;
      const monday = buildReport(store, playbooks, RANGE, { now: REPORT_NOW });
      // The week after: F6 dismissed, F3 resolved, F5 claimed.
      repo.change(f6, { status: 'dismissed', resolvedAt: at('2026-11-24T09:00') }, at('2026-11-24T09:00'), '李老师', 'dismissed');
      const f3 = repo.get(3)!;
      repo.change(f3, { status: 'resolved', resolvedAt: at('2026-11-24T10:00') }, at('2026-11-24T10:00'), '李老师', 'resolved');
      repo.change(repo.get(5)!, { status: 'claimed', claimedAt: at('2026-11-24T11:00') }, at('2026-11-24T11:00'), '李老师', 'claimed');
      const later = buildReport(store, playbooks, RANGE, { now: at('2026-11-26T09:00') });

      const a = (m: ReportModel) => m.groups.find((g) => g.groupKey === 'a')!;
      expect(a(later).followups.items.find((i) => i.id === 6)).toMatchObject({ status: 'claimed', resolveBreach: true });
      expect(a(later).followups.overall.resolveBreaches).toBe(1);
      expect(a(later).care.find((c) => c.name === '陈妈妈')!.openFollowups).toMatchObject([{ id: 3, status: 'claimed' }]);
      expect(later.groups.find((g) => g.groupKey === 'b')!.care[0]!.openFollowups).toMatchObject([{ id: 5, status: 'open' }]);
      for (const [i, g] of later.groups.entries()) {
        expect(g.followups).toEqual(monday.groups[i]!.followups);
        expect(g.care).toEqual(monday.groups[i]!.care);
      }
    } finally {
      await w.t.stop();
    }
  });
});

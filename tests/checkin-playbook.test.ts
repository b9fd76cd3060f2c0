/**
 * The `checkin:` playbook block (validation with located Chinese errors, the example playbooks)
 * and how the check-in commands read their arguments.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDay, parseDayCount, resolveMember } from '../src/features/checkin/args.js';
import { carriesNote } from '../src/features/checkin/checkin.js';
import { gameDay, gamesOf } from '../src/features/checkin/game.js';
import { loadPlaybookFile, parsePlaybook } from '../src/playbook/load.js';
import { classPlaybook } from './helpers/harness.js';
import { ROOT } from './helpers/cli.js';

function problems(block: string): string[] {
  const r = parsePlaybook(classPlaybook(block), 'c1.yaml', 'c1');
  return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.path}: ${e.message}`);
}

describe('checkin block validation', () => {
  it('accepts a full game and compiles it once', () => {
    const r = parsePlaybook(
      classPlaybook(`
checkin:
  - id: piano
    name: 练琴
    trigger: { keywords: [打卡], pattern: "^#练琴", media: [image] }
    window: { start: "06:00", end: "24:00" }
    days: [周一, 3, fri]
    require: { number: 练琴时长, units: [分钟], min: 10, max: 120 }
    makeup: { per_month: 2 }
    badges: [{ days: 21, name: 习惯养成 }, { days: 7, name: 坚持之星 }]
    levels: [{ checkins: 10, name: 第一关 }]
    leaderboard: { cron: "0 21 * * 0" }
    inactivity: { cron: "0 20 * * 1-5" }
`),
      'c1.yaml',
      'c1',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const games = gamesOf(r.playbook);
    expect(gamesOf(r.playbook)).toBe(games);
    const g = games[0]!;
    expect([g.start, g.end, [...g.weekdays].sort()]).toEqual([360, 1440, [1, 3, 5]]);
    expect(g.badges.map((b) => b.days)).toEqual([7, 21]);
    expect(g.makeup).toEqual({ perMonth: 2, withinDays: 7 });
    expect(g.inactivity).toMatchObject({ afterDays: 3 });
    expect(g.leaderboard).toMatchObject({ metric: 'count', top: 10 });
    expect(g.groups).toEqual(['class']);
  });

  it('reports each mistake where it is, in Chinese', () => {
    expect(
      problems(`
checkin:
  - id: a
    name: 晨读
    trigger: {}
    window: { start: "21:00", end: "06:00" }
    groups: [class, morning]
    badges: [{ days: 7, name: 一周 }, { days: 7, name: 又一周 }]
    leaderboard: { cron: "0 25 * * *" }
    require: { number: 分钟, min: 10, max: 5 }
  - { id: a, name: 重复, trigger: { keywords: [打卡] }, days: [] }
`),
    ).toEqual([
      '21:checkin[0].trigger: 至少设置 keywords、pattern、media 中的一项',
      '22:checkin[0].window: 结束时间应晚于开始时间（不能跨午夜）',
      '26:checkin[0].require: min 不能大于 max',
      '25:checkin[0].leaderboard.cron: cron 表达式的小时字段 "25" 无效',
      '24:checkin[0].badges[1].days: 徽章天数 7 重复了',
      '27:checkin[1].days: 至少写一天',
      '27:checkin[1].id: 打卡的 id a 重复了',
      '23:checkin[0].groups[1]: 没有 key 为 "morning" 的班级群（可选：class）',
    ]);
  });

  it('rejects a bad time and an unknown field', () => {
    expect(problems(`
checkin:
  - { id: a, name: 晨读, trigger: { keywords: [打卡] }, window: { start: "6点" }, streak: 3 }
`)).toEqual([
      '19:checkin[0].window.start: 时间格式应为 HH:MM，例如 06:00、21:30 或 24:00',
      '19:checkin[0].streak: 不认识的字段（拼写错误？请查看 playbooks/README.md）',
    ]);
  });

  it('the example playbooks play check-in games', () => {
    for (const [file, ids] of [['g3-class2.yaml', ['reading']], ['g5-english.yaml', ['reading', 'words']]] as const) {
      const r = loadPlaybookFile(join(ROOT, 'playbooks', file), ROOT);
      if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
      expect(gamesOf(r.playbook).map((g) => g.id)).toEqual(ids);
    }
  });

  it('game days follow weekdays, 调休, holidays and term dates', () => {
    const r = parsePlaybook(
      classPlaybook(`
calendar:
  skip: [{ from: 2026-10-01, to: 2026-10-07, name: 国庆 }]
  workdays: [{ date: 2026-10-10, as: 周五 }]
checkin:
  - { id: a, name: 晨读, trigger: { keywords: [打卡] }, days: [周一, 周二, 周三, 周四, 周五], to: 2027-01-22 }
  - { id: b, name: 练琴, trigger: { keywords: [练琴] }, calendar: false }
`),
      'c1.yaml',
      'c1',
    );
    if (!r.ok) throw new Error('does not load');
    const [a, b] = gamesOf(r.playbook) as [ReturnType<typeof gamesOf>[0], ReturnType<typeof gamesOf>[0]];
    const pb = r.playbook;
    expect(gameDay(pb, a, '2026-10-02')).toEqual({ runs: false, reason: '国庆' });
    expect(gameDay(pb, a, '2026-10-10').runs).toBe(true); // a Saturday that works as Friday
    expect(gameDay(pb, a, '2026-10-11')).toEqual({ runs: false, reason: '休息日' });
    expect(gameDay(pb, a, '2027-01-25')).toEqual({ runs: false, reason: '不在本期打卡日期内' });
    expect(gameDay(pb, b, '2026-10-02').runs).toBe(true);
  });
});

describe('command arguments', () => {
  it('reads dates people type, relative to today', () => {
    const today = '2026-11-24';
    expect(['今天', '昨天', '前天', '明天', '11-20', '11月20日', '11/20', '2026-11-20', '2026年11月20日', '１１-２０'].map((s) => parseDay(s, today))).toEqual([
      '2026-11-24', '2026-11-23', '2026-11-22', '2026-11-25', '2026-11-20', '2026-11-20', '2026-11-20', '2026-11-20', '2026-11-20', '2026-11-20',
    ]);
    // Early January, "12-30" is last December; invalid dates and words are not dates.
    expect(parseDay('12-30', '2027-01-03')).toBe('2026-12-30');
    expect([parseDay('2-30', today), parseDay('哪天', today), parseDay('30', today)]).toEqual([null, null, null]);
    expect([parseDayCount('3天'), parseDayCount('３日'), parseDayCount('天')]).toEqual([3, 3, null]);
  });

  it('finds a member by full name (spaces too), unique part, or mention; asks when several match', () => {
    const m = (memberId: number, name: string) => ({ memberId, id: `u${memberId}`, name, joinedDay: '2026-11-01' });
    const groups = [{ groupKey: 'class', groupName: '一班', members: [m(1, '王妈妈'), m(2, '王爸爸'), m(3, 'Amy Li'), m(4, '张小明妈妈')] }];
    expect(resolveMember(groups, ['Amy', 'Li', '昨天'], [])).toMatchObject({ ok: true, member: { memberId: 3 }, rest: ['昨天'] });
    expect(resolveMember(groups, ['小明'], [])).toMatchObject({ ok: true, member: { memberId: 4 }, rest: [] });
    expect(resolveMember(groups, ['@王妈妈', '今天'], [{ id: 'u1', name: '王妈妈' }])).toMatchObject({ ok: true, member: { memberId: 1 }, rest: ['今天'] });
    expect(resolveMember(groups, ['王'], [])).toEqual({ ok: false, problem: 'ambiguous', query: '王', names: ['王妈妈', '王爸爸'] });
    expect(resolveMember(groups, ['刘'], [])).toEqual({ ok: false, problem: 'unknown', query: '刘', names: [] });
    expect(resolveMember(groups, [], [])).toMatchObject({ ok: false, problem: 'missing' });
    // The same name in two groups: ask, naming the groups.
    const two = [...groups, { groupKey: 'b', groupName: '二班', members: [m(9, '王妈妈')] }];
    expect(resolveMember(two, ['王妈妈'], [])).toMatchObject({ ok: false, problem: 'ambiguous', names: ['王妈妈（一班）', '王妈妈（二班）'] });
  });

  it('tells a bare check-in from one that carries a note', () => {
    const r = parsePlaybook(classPlaybook(`
checkin:
  - { id: a, name: 练琴, trigger: { keywords: [打卡] }, require: { number: 时长, units: [分钟] } }
`), 'c1.yaml', 'c1');
    if (!r.ok) throw new Error('does not load');
    const game = gamesOf(r.playbook)[0]!;
    expect(['打卡 30分钟', '打卡！30 分钟 👍', '#打卡 ３０分钟～'].map((s) => carriesNote(game, s))).toEqual([false, false, false]);
    expect(carriesNote(game, '打卡 30分钟，孩子这两天咳嗽')).toBe(true);
  });
});

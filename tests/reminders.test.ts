/**
 * The `reminders:` and `homework:` playbook blocks: validation located at the line, template
 * variables, targets and @all, on the real engine with a fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatError, parsePlaybook } from '../src/playbook/load.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const HOUR = 3_600_000;

const running: TestBot[] = [];
async function start(...args: Parameters<typeof testBot>): Promise<TestBot> {
  const t = await testBot(...args);
  running.push(t);
  return t;
}
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});

function errorsOf(yaml: string): string[] {
  const r = parsePlaybook(yaml, 'c1.yaml', 'c1');
  return r.ok ? [] : r.errors.map(formatError);
}

/** Line (1-based) of the first line of `yaml` containing `needle`. */
function lineOf(yaml: string, needle: string): number {
  return yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('validation', () => {
  it('reports a cron typo at its line, in Chinese', () => {
    const yaml = classPlaybook(`
reminders:
  - id: homework
    cron: "0 25 * * 1-5"
    message: 作业提醒
`);
    expect(errorsOf(yaml)).toEqual([`c1.yaml:${lineOf(yaml, '0 25 * * 1-5')}:11: reminders[0].cron: cron 表达式的小时字段 "25" 无效`]);
  });

  it('reports a cron with the wrong number of fields', () => {
    const yaml = classPlaybook(`
reminders:
  - { id: a, cron: "0 19 * *", message: 作业提醒 }
`);
    const [e] = errorsOf(yaml);
    expect(e).toMatch(new RegExp(`^c1\\.yaml:${lineOf(yaml, '"0 19 * *"')}:\\d+: reminders\\[0\\]\\.cron: cron 表达式应有 5 段`));
  });

  it('reports unknown placeholders, groups, check-in games, dates and duplicate ids', () => {
    const yaml = classPlaybook(`
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    groups: [class, parents]
    from: 2027-01-20
    to: 2026-09-01
    message: "今天的作业：{homwork}"
  - id: homework
    cron: "0 20 * * *"
    message: "已打卡 {checkin_count} 人"
  - id: nag
    cron: "0 20 * * *"
    mention: not_checked_in
    checkin: reading
    message: 记得打卡
homework:
  周八: 不存在的一天
`);
    const dup = yaml.split('\n').findIndex((l, i, all) => l === '  - id: homework' && all[i + 1]?.includes('"0 20')) + 1;
    expect(errorsOf(yaml)).toEqual([
      `c1.yaml:${lineOf(yaml, 'to: 2026-09-01')}:9: reminders[0].to: 结束日期早于开始日期`,
      `c1.yaml:${lineOf(yaml, '{homwork}')}:14: reminders[0].message: 不认识的占位符 {homwork}，可用：{date} {weekday} {class} {group} {assistant} {homework} {checkin_count} {not_checked_in} {not_checked_in_count}`,
      `c1.yaml:${dup}:9: reminders[1].id: 提醒的 id "homework" 重复了`,
      `c1.yaml:${lineOf(yaml, '周八')}:7: homework.周八: 应为星期（周一、星期一、周一至周五…）或日期（YYYY-MM-DD）`,
      `c1.yaml:${lineOf(yaml, 'groups: [class, parents]')}:21: reminders[0].groups[1]: 没有 key 为 "parents" 的群（可选：class、staff）`,
      `c1.yaml:${lineOf(yaml, '已打卡 {checkin_count} 人')}:14: reminders[1].message: 用到了打卡人数或名单，但这个配置没有打卡（checkin）`,
      `c1.yaml:${lineOf(yaml, 'checkin: reading')}:14: reminders[2].checkin: 没有 id 为 "reading" 的打卡（checkin）`,
      `c1.yaml:${lineOf(yaml, 'mention: not_checked_in')}:14: reminders[2].mention: 用到了打卡人数或名单，但这个配置没有打卡（checkin）`,
    ]);
  });

  it('rejects an unknown mention mode and a bad grace window', () => {
    const errors = errorsOf(classPlaybook(`
reminders:
  - { id: a, cron: "0 19 * * *", message: 提醒, mention: everyone, grace_minutes: -5 }
`));
    expect(errors).toEqual([
      expect.stringMatching(/reminders\[0\]\.mention: 取值无效，可选：none \/ all \/ not_checked_in$/),
      expect.stringMatching(/reminders\[0\]\.grace_minutes: 不能是负数$/),
    ]);
  });
});

describe('templates', () => {
  const yaml = classPlaybook(`
assistant: 小李老师
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    message: |-
      【{class}·{group}】{date} {weekday}
      今日作业：{homework}
      有问题找{assistant}～
homework:
  周二: 数学练习册第18页
  mon: 语文：抄写生字
  "5": 周末阅读
  2026-11-24: 数学练习册第18–19页（今天多一页）
`);

  it('fills date, weekday, class, group, assistant and the day’s homework (a date beats its weekday)', async () => {
    const t = await start({ 'c1.yaml': yaml }, { now: '2026-11-23T08:00:00+08:00' });
    await t.advance(5 * 24 * HOUR);
    expect(t.adapter.textsTo('class-1')).toEqual([
      '【三年级二班·三年级二班家长群】11月23日 周一\n今日作业：语文：抄写生字\n有问题找小李老师～',
      '【三年级二班·三年级二班家长群】11月24日 周二\n今日作业：数学练习册第18–19页（今天多一页）\n有问题找小李老师～',
      '【三年级二班·三年级二班家长群】11月25日 周三\n今日作业：今天没有书面作业，注意休息～\n有问题找小李老师～',
      '【三年级二班·三年级二班家长群】11月26日 周四\n今日作业：今天没有书面作业，注意休息～\n有问题找小李老师～',
      '【三年级二班·三年级二班家长群】11月27日 周五\n今日作业：周末阅读\n有问题找小李老师～',
    ]);
    // Reminders are posts to families: cause recorded for reports, and never to the staff group by default.
    expect(t.adapter.textsTo('staff-1')).toEqual([]);
    const causes = t.bot.store.sqlite.prepare(`SELECT DISTINCT cause FROM outbox`).all() as { cause: string }[];
    expect(causes).toEqual([{ cause: 'reminder' }]);
  });

  it('the text for a day without homework is the playbook’s to change', async () => {
    const t = await start({ 'c1.yaml': `${yaml}messages:\n  reminder_no_homework: 今天休息，不布置作业。\n` }, { now: '2026-11-25T18:00:00+08:00' });
    await t.advance(2 * HOUR);
    expect(t.adapter.textsTo('class-1')).toEqual(['【三年级二班·三年级二班家长群】11月25日 周三\n今日作业：今天休息，不布置作业。\n有问题找小李老师～']);
  });
});

describe('targets and mentions', () => {
  const twoGroups = (extra: string) =>
    classPlaybook(extra).replace(
      'staff_group:',
      `  - key: b
    platform: console
    id: class-2
    name: 三年级二班B群
staff_group:`,
    );

  it('posts to every class group by default, one claim each; @all when asked', async () => {
    const t = await start({ 'c1.yaml': twoGroups(`
reminders:
  - { id: weekend, cron: "0 17 * * 5", mention: all, message: 周末愉快，下周一见！ }
`) }, { now: '2026-11-27T16:00:00+08:00' });
    await t.advance(2 * HOUR);
    expect(t.adapter.sent.map((m) => [m.target, m.text, m.mentionAll])).toEqual([
      [{ kind: 'group', groupId: 'class-1' }, '周末愉快，下周一见！', true],
      [{ kind: 'group', groupId: 'class-2' }, '周末愉快，下周一见！', true],
    ]);
    const claims = t.bot.store.sqlite.prepare(`SELECT group_key AS g, status FROM schedule_fires ORDER BY id`).all();
    expect(claims).toEqual([{ g: 'class', status: 'sent' }, { g: 'b', status: 'sent' }]);
  });

  it('posts only to the groups named, the staff group included', async () => {
    const t = await start({ 'c1.yaml': twoGroups(`
reminders:
  - { id: grading, cron: "30 20 * * 1-5", groups: [b, staff], message: "{group}：今晚请批改作业" }
`) }, { now: '2026-11-24T20:00:00+08:00' });
    await t.advance(HOUR);
    expect(t.adapter.sent.map((m) => [m.target, m.text, m.mentionAll ?? false])).toEqual([
      [{ kind: 'group', groupId: 'class-2' }, '三年级二班B群：今晚请批改作业', false],
      [{ kind: 'group', groupId: 'staff-1' }, '老师群：今晚请批改作业', false],
    ]);
  });
});

describe('check-in numbers and not-checked-in mentions', () => {
  const game = (reminder: string) =>
    classPlaybook(`
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [晨读打卡] }
  - id: words
    name: 单词
    trigger: { keywords: [单词打卡] }
reminders:
${reminder}
`);
  const PARENTS = ['王妈妈', '李爸爸', '张妈妈', '赵爸爸', '孙妈妈', '周爸爸'];

  /** Six parents post in the group (so they are members), the first `n` check in; a teacher posts too. */
  async function classWith(t: TestBot, n: number): Promise<void> {
    for (const p of PARENTS) await t.say(p, '老师好');
    await t.say({ id: 'li', name: '李老师' }, '今天的作业已发');
    for (const p of PARENTS.slice(0, n)) await t.say(p, '晨读打卡');
  }
  const reminders = (t: TestBot) => t.adapter.sent.filter((m) => m.idempotencyKey.startsWith('fire:c1:reminder:'));

  it('mentions those who have not checked in, capped, with 等N人 beyond; staff are never named', async () => {
    const t = await start({ 'c1.yaml': game(`
  - id: nag
    cron: "0 20 * * *"
    mention: not_checked_in
    mention_limit: 3
    message: "已有 {checkin_count} 人完成晨读，还差 {not_checked_in_count} 人：{not_checked_in}"
`) }, { now: '2026-11-24T18:00:00+08:00' });
    await classWith(t, 2);
    await t.advance(2.5 * HOUR);
    const [m, ...more] = reminders(t);
    expect(more).toEqual([]);
    expect(m!.mentions).toEqual([
      { id: '张妈妈', name: '张妈妈' },
      { id: '赵爸爸', name: '赵爸爸' },
      { id: '孙妈妈', name: '孙妈妈' },
    ]);
    expect(m!.text).toBe('等4人 已有 2 人完成晨读，还差 4 人：张妈妈、赵爸爸、孙妈妈等4人');
    expect(m!.mentionAll).toBeUndefined();
  });

  it('within the cap it names everyone missing; with everyone checked in it names no one', async () => {
    const reminder = `
  - id: nag
    cron: "0 20 * * *"
    mention: not_checked_in
    message: "还没打卡：{not_checked_in}"
`;
    const some = await start({ 'c1.yaml': game(reminder) }, { now: '2026-11-24T18:00:00+08:00' });
    await classWith(some, 4);
    await some.advance(2.5 * HOUR);
    expect(reminders(some).map((m) => [m.text, m.mentions?.map((x) => x.name)])).toEqual([['还没打卡：孙妈妈、周爸爸', ['孙妈妈', '周爸爸']]]);

    const all = await start({ 'c1.yaml': game(reminder) }, { now: '2026-11-24T18:00:00+08:00' });
    await classWith(all, 6);
    await all.advance(2.5 * HOUR);
    expect(reminders(all).map((m) => [m.text, m.mentions])).toEqual([['还没打卡：（全部已打卡）', undefined]]);
  });

  it('counts only the named game when the reminder names one, and names no one unless asked', async () => {
    const t = await start({ 'c1.yaml': game(`
  - id: words
    cron: "0 20 * * *"
    checkin: words
    message: "今天 {checkin_count} 人背了单词，{not_checked_in_count} 人还没有"
`) }, { now: '2026-11-24T18:00:00+08:00' });
    await classWith(t, 3);
    await t.say('周爸爸', '单词打卡');
    await t.advance(2.5 * HOUR);
    expect(reminders(t).map((m) => [m.text, m.mentions, m.mentionAll])).toEqual([['今天 1 人背了单词，5 人还没有', undefined, undefined]]);
  });
});

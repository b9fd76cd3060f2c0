/**
 * A check-in answers from rows kept in memory after the first read (who checked in today, a
 * member's days and awards, the members of each class as last read). These show that
 * what parents see stays right when the database changes under that memory: a message whose
 * effects were rolled back, and another process changing check-ins while the bot runs.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Feature } from '../src/engine/feature.js';
import { checkinFeature } from '../src/features/checkin/index.js';
import { classPlaybook, playbookDir, testBot, type TestBot } from './helpers/harness.js';

const READING = `
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡] }
    levels: [{ checkins: 2, name: 第一关 }]
`;

let t: TestBot;
afterEach(async () => t?.stop());

const lastClass = () => t.adapter.textsTo('class-1').at(-1);

async function at(iso: string, who: string, text: string) {
  t.clock.set(Date.parse(`${iso}+08:00`));
  await t.say(who, text);
}

describe('check-in memory after a rolled-back message', () => {
  it('forgets a check-in whose message failed in a later feature', async () => {
    // A note beside a check-in goes on to the next feature, which fails here: the check-in is undone.
    const failing: Feature = {
      name: 'failing',
      onMessage: (ctx) => {
        if (ctx.msg.text.includes('咳嗽')) throw new Error('bug');
      },
    };
    t = await testBot({ 'c1.yaml': classPlaybook(READING) }, { features: [checkinFeature, failing] });
    await at('2026-11-23T07:00:00', '王妈妈', '打卡');
    const replies = t.adapter.textsTo('class-1').length;
    await at('2026-11-24T07:00:00', '王妈妈', '打卡 孩子这两天有点咳嗽');
    expect(t.adapter.textsTo('class-1')).toHaveLength(replies);
    expect(t.bot.store.sqlite.prepare(`SELECT day FROM checkins ORDER BY day`).all()).toEqual([{ day: '2026-11-23' }]);
    expect(t.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM checkin_awards`).get()).toEqual({ n: 0 });

    // Counted again (not "already"), the second check-in of all, so the level is reached now.
    await at('2026-11-24T07:05:00', '王妈妈', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 2 天。\n🎉 累计打卡 2 次，闯关成功，晋级「第一关」！');
    await at('2026-11-24T07:10:00', '李爸爸', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 2 人打卡，你已连续打卡 1 天。');
  });
});

describe('check-in memory while another process writes', () => {
  it('sees check-ins removed and added by another connection to the database file', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook(READING) });
    const dbPath = join(dir, 'bot.db');
    t = await testBot(dir, { dbPath });
    await at('2026-11-23T07:00:00', '王妈妈', '打卡');
    await at('2026-11-24T07:00:00', '王妈妈', '打卡');
    expect(lastClass()).toMatch(/你已连续打卡 2 天。/);

    // Another process (a staff member's revocation from the CLI, say) removes both of her days…
    const other = new Database(dbPath);
    other.prepare(`DELETE FROM checkins`).run();
    await at('2026-11-24T07:05:00', '王妈妈', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 1 天。');

    // …and then records a check-in of 李爸爸's for today and one of hers for yesterday.
    const member = (name: string) => (other.prepare(`SELECT id FROM members WHERE name = ?`).get(name) as { id: number }).id;
    const insert = other.prepare(
      `INSERT INTO checkins (playbook_id, game_id, group_key, member_id, day, kind, created_at) VALUES ('c1', 'reading', 'class', ?, ?, 'corrected', 0)`,
    );
    await at('2026-11-24T07:06:00', '李爸爸', '老师好');
    insert.run(member('李爸爸'), '2026-11-24');
    insert.run(member('王妈妈'), '2026-11-23');
    other.close();
    await at('2026-11-24T07:10:00', '李爸爸', '打卡');
    expect(lastClass()).toBe('今天的晨读打卡已经记上啦，明天继续加油～（今天全班已有 2 人打卡）');
    await at('2026-11-25T07:00:00', '王妈妈', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 3 天。');
  });
});

describe('class-wide celebration from the class as last read', () => {
  it('reads the class again once everyone it had has checked in, and celebrates when it is complete', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(READING) });
    for (const who of ['王妈妈', '李爸爸', '张妈妈', '赵爸爸']) await at('2026-11-23T07:00:00', who, '老师好');
    for (const who of ['王妈妈', '李爸爸', '张妈妈']) await at('2026-11-23T07:05:00', who, '打卡');
    // A member joining after the class was read still has to check in.
    await at('2026-11-23T07:06:00', '孙奶奶', '大家好');
    await at('2026-11-23T07:07:00', '赵爸爸', '打卡');
    expect(t.adapter.textsTo('class-1').filter((x) => x.includes('全员打卡'))).toHaveLength(0);
    await at('2026-11-23T07:08:00', '孙奶奶', '打卡');
    expect(lastClass()).toBe('🎉 今天全班都完成了晨读打卡！已经连续 1 天全员打卡，为大家点赞！');
  });

  it('counts a member who joined on a later day, though the class was read the day before', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(READING) });
    for (const who of ['王妈妈', '李爸爸', '张妈妈', '赵爸爸']) await at('2026-11-23T07:00:00', who, '老师好');
    for (const who of ['王妈妈', '李爸爸', '张妈妈', '赵爸爸']) await at('2026-11-23T07:05:00', who, '打卡');
    expect(lastClass()).toBe('🎉 今天全班都完成了晨读打卡！已经连续 1 天全员打卡，为大家点赞！');
    await at('2026-11-24T07:00:00', '孙奶奶', '大家好');
    for (const who of ['王妈妈', '李爸爸', '张妈妈', '赵爸爸']) await at('2026-11-24T07:05:00', who, '打卡');
    expect(t.adapter.textsTo('class-1').filter((x) => x.includes('全员打卡'))).toHaveLength(1);
    await at('2026-11-24T07:10:00', '孙奶奶', '打卡');
    expect(lastClass()).toBe('🎉 今天全班都完成了晨读打卡！已经连续 2 天全员打卡，为大家点赞！');
  });
});

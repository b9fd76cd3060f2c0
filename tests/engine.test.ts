import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature } from '../src/engine/feature.js';
import { MAX_TEXT, validateInbound } from '../src/engine/inbound.js';
import { faqFeature } from '../src/features/faq.js';
import { compileCron } from '../src/playbook/cron.js';
import { classPlaybook, playbookDir, testBot, FAQ_BLOCK } from './helpers/harness.js';


describe('engine', () => {
  it('answers an FAQ_BLOCK question in the group, mentioning the parent', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    await t.say('王妈妈', '请问课表在哪里？');
    expect(t.adapter.sent).toHaveLength(1);
    expect(t.adapter.sent[0]).toMatchObject({ target: { kind: 'group', groupId: 'class-1' }, text: '课表在群文件里。', mentions: [{ id: '王妈妈', name: '王妈妈' }] });
    // Chat that merely mentions the topic is left alone.
    await t.say('王妈妈', '课表已经打印出来贴墙上了');
    expect(t.adapter.sent).toHaveLength(1);
    await t.stop();
  });

  it('records a redelivered event once and reacts once', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    const first = await t.say('王妈妈', '课表在哪？');
    t.clock.advance(3 * 3600_000);
    const outcome = await t.bot.engine.handleInbound({ ...first, timestamp: t.clock.now() });
    expect(outcome).toBe('duplicate');
    expect(t.adapter.sent).toHaveLength(1);
    expect(t.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 1 });
    await t.stop();
  });

  it('dedupes across a restart on the same database file', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    const dbPath = join(dir, 'bot.db');
    const a = await testBot(dir, { dbPath });
    const msg = await a.say('王妈妈', '课表在哪？');
    await a.stop();
    const b = await testBot(dir, { dbPath });
    expect(await b.bot.engine.handleInbound(msg)).toBe('duplicate');
    expect(b.adapter.sent).toHaveLength(0);
    await b.stop();
  });

  it('skips malformed events and keeps going', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    for (const bad of [null, 42, {}, { platform: 'qq' }, { platform: 'console', eventId: 'x', chatType: 'group', sender: { id: 'a', name: 'a' }, text: 'hi', timestamp: 1 }]) {
      expect(await t.bot.engine.handleInbound(bad)).toBe('invalid');
    }
    await t.say('王妈妈', '课表在哪？');
    expect(t.adapter.sent).toHaveLength(1);
    await t.stop();
  });

  it('keeps a message whose feature throws, without its reaction', async () => {
    const boom: Feature = { name: 'boom', onMessage: () => { throw new Error('bug'); } };
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) }, { features: [boom, faqFeature] });
    await t.say('王妈妈', '课表在哪？');
    expect(t.adapter.sent).toHaveLength(0);
    expect(t.bot.store.sqlite.prepare('SELECT text FROM messages').all()).toEqual([{ text: '课表在哪？' }]);
    await t.stop();
  });

  it('in a batch, takes only the failing message’s effects away: the others keep theirs, once', async () => {
    const boom: Feature = { name: 'boom', onMessage: (ctx) => { if (ctx.msg.text.includes('炸')) throw new Error('bug'); } };
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) }, { features: [boom, faqFeature] });
    // Delivered together, so the engine handles them as one batch.
    await Promise.all([t.say('王妈妈', '课表在哪？'), t.say('李爸爸', '炸 课表呢'), t.say('赵妈妈', '请问课表？')]);
    expect(t.adapter.sent.map((m) => m.text)).toEqual(['课表在群文件里。', '课表在群文件里。']);
    expect(t.bot.store.sqlite.prepare('SELECT text FROM messages ORDER BY id').all()).toEqual([{ text: '课表在哪？' }, { text: '炸 课表呢' }, { text: '请问课表？' }]);
    expect(t.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 2 });
    await t.stop();
  });

  it('refuses staff-only commands from parents, runs them for staff', async () => {
    let ran = 0;
    const staffThing: Feature = { name: 'staff-thing', commands: [{ names: ['测试'], staffOnly: true, summary: 'x', run: () => void ran++ }] };
    const t = await testBot({ 'c1.yaml': classPlaybook() }, { features: [staffThing] });
    await t.say('王妈妈', '/测试');
    expect(ran).toBe(0);
    expect(t.adapter.sent[0]!.text).toContain('只有老师和助教可以使用');
    await t.say({ id: 'li', name: '李老师' }, '/测试', { groupId: 'staff-1', groupName: '老师群' });
    expect(ran).toBe(1);
    await t.stop();
  });

  it('fires a job at local 19:00 in Asia/Shanghai (11:00 UTC), once, whatever the server zone', async () => {
    const fired: number[] = [];
    const job: Feature = {
      name: 'probe',
      jobs: () => [{ id: 'evening', cron: compileCron('0 19 * * 1-5'), groups: ['class'], run: (ctx) => void fired.push(ctx.scheduledAt) }],
    };
    const t = await testBot({ 'c1.yaml': classPlaybook() }, { features: [job], now: '2026-11-23T18:58:00+08:00' });
    await t.advance(5 * 60_000);
    await t.bot.tick();
    expect(fired.map((ms) => new Date(ms).toISOString())).toEqual(['2026-11-23T11:00:00.000Z']);
    await t.stop();
  });
});

describe('staff alerts', () => {
  it('go to each staff member directly while the staff group chat is not known yet, and to the group once it is', async () => {
    const alert: Feature = { name: 'alert', onMessage: (ctx) => void ctx.toStaff(`注意：${ctx.msg.text}`) };
    const pb = classPlaybook().replace('  id: staff-1\n', '');
    const t = await testBot({ 'c1.yaml': pb }, { features: [alert] });
    await t.say('王妈妈', '第一条');
    expect(t.adapter.sent.map((m) => [m.target, m.text])).toEqual([
      [{ kind: 'direct', memberId: 'li' }, '注意：第一条'],
      [{ kind: 'direct', memberId: 'wang' }, '注意：第一条'],
      [{ kind: 'direct', memberId: 'zhang' }, '注意：第一条'],
    ]);
    // Someone speaks in the staff group: its chat is learned by its name.
    await t.say({ id: 'li', name: '李老师' }, '大家好', { groupId: 'staff-chat-9', groupName: '老师群' });
    t.adapter.clear();
    await t.say('王妈妈', '第二条');
    expect(t.adapter.sent.map((m) => [m.target, m.text])).toEqual([[{ kind: 'group', groupId: 'staff-chat-9' }, '注意：第二条']]);
    await t.stop();
  });
});

describe('playbook hot reload', () => {
  it('picks up a good edit and keeps the last good version on a bad one, telling the staff', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    const t = await testBot(dir, { watch: true });
    const file = join(dir, 'c1.yaml');
    writeFileSync(file, classPlaybook(FAQ_BLOCK.replace('课表在群文件里。', '课表已更新，请看群公告。')));
    await waitFor(() => t.bot.engine.playbooks[0]!.faq[0]!.answer === '课表已更新，请看群公告。');
    writeFileSync(file, classPlaybook(`${FAQ_BLOCK}quiet_hours: { start: "25:00", end: "07:00" }\n`));
    await waitFor(() => t.adapter.textsTo('staff-1').length > 0);
    expect(t.adapter.textsTo('staff-1')[0]).toMatch(/c1\.yaml:\d+:\d+: quiet_hours\.start: 时间格式应为 HH:MM/);
    await t.say('王妈妈', '课表在哪？');
    expect(t.adapter.textsTo('class-1')).toEqual(['课表已更新，请看群公告。']);
    await t.stop();
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('inbound validation', () => {
  it('keeps a quoted reply as context, bounded like the text, and drops a quote that is not text', () => {
    const base = { platform: 'wechaty', eventId: 'e1', chatType: 'group', groupId: 'r1@chatroom', sender: { id: 'u', name: '王妈妈' }, text: '好的', timestamp: 1 };
    const long = validateInbound({ ...base, quoted: '引'.repeat(MAX_TEXT + 10) });
    expect(long.ok && long.msg.quoted?.length).toBe(MAX_TEXT);
    const odd = validateInbound({ ...base, quoted: { evil: true } });
    expect(odd.ok && 'quoted' in odd.msg).toBe(false);
  });
});

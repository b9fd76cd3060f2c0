import { describe, expect, it } from 'vitest';
import { RecordingAdapter, classPlaybook, testBot } from './helpers/harness.js';

const WORRIED = '孩子最近作业写到十一点，跟不上，好焦虑';
const staff = (t: Awaited<ReturnType<typeof testBot>>) => t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'staff-1');

async function start(updates: boolean) {
  const adapter = new RecordingAdapter();
  Object.assign(adapter.capabilities, { cards: true, updatesMessages: updates });
  return testBot({ 'c1.yaml': classPlaybook() }, { adapter });
}

describe('alert cards that show what happened to the case', () => {
  it('replaces the alert card in place when staff claim and then resolve, keeping only the buttons that apply', async () => {
    const t = await start(true);
    await t.say('王妈妈', WORRIED);
    const [alert] = staff(t);
    expect(alert!.actions!.map((a) => a.command)).toEqual(['/认领 1', '/解决 1', '/误报 1']);
    const alertIds = [`rec-${t.adapter.sent.indexOf(alert!) + 1}`];

    await t.say({ id: 'li', name: '李老师' }, '/认领 1', { groupId: 'staff-1', groupName: '老师群' });
    const claimed = staff(t).find((m) => m.updateOf);
    expect(claimed).toMatchObject({ updates: alert!.idempotencyKey, updateOf: alertIds });
    expect(claimed!.text.startsWith(alert!.text)).toBe(true);
    expect(claimed!.text).toMatch(/👤 李老师 已认领/);
    expect(claimed!.actions!.map((a) => a.command)).toEqual(['/解决 1', '/误报 1']);

    // Claiming again changes nothing: no second update.
    await t.say({ id: 'li', name: '李老师' }, '/认领 1', { groupId: 'staff-1', groupName: '老师群' });
    expect(staff(t).filter((m) => m.updateOf)).toHaveLength(1);

    await t.say({ id: 'li', name: '李老师' }, '/解决 1 已电话沟通', { groupId: 'staff-1', groupName: '老师群' });
    const resolved = staff(t).filter((m) => m.updateOf)[1]!;
    expect(resolved.updateOf).toEqual(alertIds);
    expect(resolved.text).toMatch(/✅ 李老师 已解决/);
    expect(resolved.text).not.toMatch(/已认领/);
    expect(resolved.actions).toEqual([]);
    await t.stop();
  });

  it('sends no update where the platform cannot edit its messages', async () => {
    const t = await start(false);
    await t.say('王妈妈', WORRIED);
    await t.say({ id: 'li', name: '李老师' }, '/认领 1', { groupId: 'staff-1', groupName: '老师群' });
    expect(t.adapter.sent.some((m) => m.updates || m.updateOf)).toBe(false);
    expect(staff(t).at(-1)!.text).toContain('李老师 认领了跟进 #1');
    await t.stop();
  });

  it('waits for the card itself to be sent before updating it', async () => {
    const t = await start(true);
    t.adapter.online = false;
    await t.say('王妈妈', WORRIED);
    await t.say({ id: 'li', name: '李老师' }, '/认领 1', { groupId: 'staff-1', groupName: '老师群' });
    expect(t.adapter.sent).toHaveLength(0);
    t.adapter.online = true;
    await t.bot.tick();
    await t.bot.tick();
    const order = staff(t).map((m) => (m.updates ? 'update' : m.actions?.length ? 'card' : 'reply'));
    expect(order.indexOf('card')).toBeLessThan(order.indexOf('update'));
    expect(staff(t).find((m) => m.updates)!.updateOf).toHaveLength(1);
    await t.stop();
  });
});

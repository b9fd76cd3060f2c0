/**
 * What platforms say besides messages (issue 17), through the adapter's event handler into the
 * real engine and store: a group the bot was added to, a renamed group, people joining and
 * leaving, a recalled message, and events that are not well formed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupSpec, PlatformEvent } from '../src/model.js';
import { classPlaybook, FAQ_BLOCK, RecordingAdapter, testBot, type TestBot } from './helpers/harness.js';

const TITLE_BOUND = `id: c1
name: 三年级二班
timezone: Asia/Shanghai
groups:
  - { key: class, platform: console, name: 三年级二班家长群 }
staff_group: { platform: console, name: 老师群 }
staff:
  - { name: 李老师, role: assistant, ids: { console: li } }
`;
const AT = Date.parse('2026-11-24T18:00:00+08:00');

let running: TestBot[] = [];
afterEach(async () => {
  for (const t of running) await t.stop();
  running = [];
});
const start = async (yaml: string, adapter?: RecordingAdapter) => {
  const t = await testBot({ 'c1.yaml': yaml }, { now: AT, ...(adapter ? { adapter } : {}) });
  running.push(t);
  return t;
};
const emit = async (t: TestBot, event: PlatformEvent | Record<string, unknown>) => t.adapter.onEvent!(event as PlatformEvent);
const chatOf = (t: TestBot, key: 'class' | 'staff') => {
  const pb = t.bot.engine.playbooks[0]!;
  return t.bot.engine.router.chatIdOf(pb, key === 'class' ? pb.groups[0]! : pb.staffGroup!);
};
const seen = (groupId: string, groupName: string): PlatformEvent => ({ kind: 'group-seen', platform: 'console', groupId, groupName, at: AT });

describe('a group the platform shows the bot', () => {
  it('binds a title-bound class group before anyone speaks there, so the first notice reaches it', async () => {
    const t = await start(TITLE_BOUND);
    expect(chatOf(t, 'class')).toBeNull();
    await emit(t, seen('oc_1', '三年级二班家长群'));
    expect(chatOf(t, 'class')).toBe('oc_1');
    const pb = t.bot.engine.playbooks[0]!;
    expect(t.bot.engine.services.messenger.toGroup(pb, pb.groups[0]!, '通知', { key: 'n1', cause: 'test' })).toBe('queued');
  });

  it('never binds the staff group (no staff member spoke there), and a look-alike title binds neither chat', async () => {
    const t = await start(TITLE_BOUND);
    await emit(t, seen('oc_staff', '老师群'));
    expect(chatOf(t, 'staff')).toBeNull();
    await emit(t, seen('oc_1', '三年级二班家长群'));
    await emit(t, seen('oc_copy', '三年级二班家长群'));
    expect(chatOf(t, 'class')).toBeNull();
    const conflicts = t.bot.store.sqlite.prepare('SELECT chat_id FROM group_conflicts ORDER BY rowid').pluck().all();
    expect(conflicts).toEqual(['oc_1', 'oc_copy']);
  });

  it('a renamed group stays bound by its id and takes its new title', async () => {
    const t = await start(TITLE_BOUND);
    await emit(t, seen('oc_1', '三年级二班家长群'));
    await emit(t, seen('oc_1', '三年级二班家长群（2027 春季）'));
    expect(chatOf(t, 'class')).toBe('oc_1');
    expect(t.bot.store.sqlite.prepare(`SELECT name FROM groups WHERE chat_id = 'oc_1'`).pluck().get()).toBe('三年级二班家长群（2027 春季）');
  });

  it('a message from a room the look-up has not bound yet is answered once the look-up it caused binds the room', async () => {
    class Listing extends RecordingAdapter {
      rooms: Record<string, string> = {};
      async resolveGroups(specs: GroupSpec[]) {
        return specs.map((s) => this.rooms[s.name!] ?? null);
      }
    }
    const adapter = new Listing();
    const t = await start(TITLE_BOUND + FAQ_BLOCK, adapter);
    await new Promise((r) => setTimeout(r, 10));
    // The room was not in the list at start; its first message comes before the adapter shows it.
    adapter.rooms['三年级二班家长群'] = 'room-1';
    const first = await t.say('王妈妈', '课表在哪？', { groupId: 'room-1', groupName: '三年级二班家长群' });
    expect(adapter.textsTo('room-1')).toEqual([]);
    await emit(t, seen('room-1', '三年级二班家长群'));
    expect(chatOf(t, 'class')).toBe('room-1');
    expect(adapter.textsTo('room-1')).toEqual(['课表在群文件里。']);
    // Handled once: the platform's redelivery is a duplicate.
    await t.say('王妈妈', '课表在哪？', { eventId: first.eventId, groupId: 'room-1', groupName: '三年级二班家长群' });
    expect(adapter.textsTo('room-1')).toHaveLength(1);
  });

  it('a bound room the look-up no longer finds by its title (renamed) is not reported missing to staff', async () => {
    class Renamed extends RecordingAdapter {
      title = '三年级二班家长群';
      async resolveGroups(specs: GroupSpec[]) {
        return specs.map((s) => (s.name === this.title ? 'oc_1' : null));
      }
    }
    const adapter = new Renamed();
    const t = await start(TITLE_BOUND, adapter);
    await emit(t, { kind: 'groups-changed', platform: 'console', at: AT });
    expect(chatOf(t, 'class')).toBe('oc_1');
    adapter.title = '三年级二班家长群（2027 春季）';
    await emit(t, seen('oc_1', adapter.title));
    await emit(t, { kind: 'groups-changed', platform: 'console', at: AT });
    expect(chatOf(t, 'class')).toBe('oc_1');
    expect(t.adapter.sent.filter((m) => m.text.includes('没有找到群'))).toEqual([]);
  });

  it('where the adapter looks groups up itself, an unknown group makes it look again (once at a time)', async () => {
    const looks: GroupSpec[][] = [];
    let release: () => void = () => {};
    class LookingUp extends RecordingAdapter {
      rooms: Record<string, string> = {};
      async resolveGroups(specs: GroupSpec[]) {
        looks.push(specs);
        await new Promise<void>((r) => (release = r));
        return specs.map((s) => this.rooms[s.name!] ?? null);
      }
    }
    const adapter = new LookingUp();
    const t = await start(TITLE_BOUND, adapter);
    expect(looks).toHaveLength(1);
    // A room appeared late: seen twice while the first look-up still runs; one more look-up follows it.
    adapter.rooms['三年级二班家长群'] = 'room-1';
    let answered = 0;
    const events = [emit(t, seen('room-1', '三年级二班家长群')), emit(t, { kind: 'groups-changed', platform: 'console', at: AT })].map((p) => p.then(() => answered++));
    await new Promise((r) => setTimeout(r, 10));
    expect(chatOf(t, 'class')).toBeNull();
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(looks).toHaveLength(2);
    // The adapter that told the bot waits until the look-up it caused has answered.
    expect(answered).toBe(0);
    release();
    await Promise.all(events);
    expect(looks).toHaveLength(2);
    expect(chatOf(t, 'class')).toBe('room-1');
  });
});

describe('people joining and leaving', () => {
  const members = (t: TestBot) =>
    t.bot.store.sqlite
      .prepare(`SELECT m.user_id AS id, gm.role, gm.left_at AS leftAt FROM group_members gm JOIN members m ON m.id = gm.member_id JOIN groups g ON g.id = gm.group_id WHERE g.chat_id = 'class-1' ORDER BY m.user_id`)
      .all();

  it('records who joined, marks who left (their history stays) and clears the mark when they come back', async () => {
    const t = await start(classPlaybook());
    await t.say('王妈妈', '老师好');
    await emit(t, { kind: 'membership', platform: 'console', groupId: 'class-1', joined: [{ id: 'zhao', name: '赵爸爸' }, { id: 'li', name: '李老师' }], left: [], at: AT });
    await emit(t, { kind: 'membership', platform: 'console', groupId: 'class-1', joined: [], left: [{ id: '王妈妈', name: '王妈妈' }], at: AT });
    expect(members(t)).toEqual([
      { id: 'li', role: 'staff', leftAt: null },
      { id: 'zhao', role: 'parent', leftAt: null },
      { id: '王妈妈', role: 'parent', leftAt: AT },
    ]);
    expect(t.bot.store.sqlite.prepare('SELECT COUNT(*) FROM messages').pluck().get()).toBe(1);
    await emit(t, { kind: 'membership', platform: 'console', groupId: 'class-1', joined: [{ id: '王妈妈', name: '王妈妈' }], left: [], at: AT });
    expect(members(t).find((m) => (m as { id: string }).id === '王妈妈')).toEqual({ id: '王妈妈', role: 'parent', leftAt: null });
  });
});

describe('a recalled message', () => {
  it('is marked recalled; the staff are told when it had opened a follow-up, which stays open', async () => {
    const t = await start(classPlaybook());
    const msg = await t.say('王妈妈', '孩子最近作业写到十一点，跟不上，好焦虑');
    t.adapter.clear();
    await emit(t, { kind: 'recalled', platform: 'console', groupId: 'class-1', eventId: msg.eventId, at: AT });
    expect(t.bot.store.sqlite.prepare('SELECT recalled_at FROM messages WHERE event_id = ?').pluck().get(msg.eventId)).toBe(AT);
    expect(t.adapter.textsTo('staff-1')).toEqual(['↩️ 跟进 #1（王妈妈，学习）：家长撤回了开这条跟进的消息。跟进仍然开着：请私下问问家长情况，不要在群里提撤回的内容。']);
    expect(t.bot.store.sqlite.prepare('SELECT status FROM followups WHERE id = 1').pluck().get()).toBe('open');
    // Told once, however often the platform repeats the event.
    await emit(t, { kind: 'recalled', platform: 'console', groupId: 'class-1', eventId: msg.eventId, at: AT });
    expect(t.adapter.textsTo('staff-1')).toHaveLength(1);
    await t.say('李老师', '/跟进详情 1', { sender: { id: 'li', name: '李老师' }, groupId: 'staff-1', groupName: '老师群' });
    expect(t.adapter.textsTo('staff-1').at(-1)).toContain('家长撤回了消息');
  });

  it('of a message that opened nothing, or one the bot never stored, tells nobody', async () => {
    const t = await start(classPlaybook());
    const msg = await t.say('王妈妈', '收到');
    t.adapter.clear();
    await emit(t, { kind: 'recalled', platform: 'console', groupId: 'class-1', eventId: msg.eventId, at: AT });
    await emit(t, { kind: 'recalled', platform: 'console', groupId: 'class-1', eventId: 'never-seen', at: AT });
    expect(t.adapter.sent).toEqual([]);
  });
});

describe('malformed events', () => {
  it('are logged and skipped; the next good one is handled', async () => {
    const t = await start(TITLE_BOUND);
    for (const bad of [null, 42, { kind: 'group-seen' }, { kind: 'explode', platform: 'console', at: AT }, { ...seen('', 'x') }, { ...seen('x'.repeat(600), '三年级二班家长群') }, { kind: 'membership', platform: 'console', groupId: 'g', joined: 'all', left: [], at: AT }]) {
      await expect(emit(t, bad as Record<string, unknown>)).resolves.toBeUndefined();
    }
    expect(chatOf(t, 'class')).toBeNull();
    await emit(t, seen('oc_1', '三年级二班家长群'));
    expect(chatOf(t, 'class')).toBe('oc_1');
  });
});

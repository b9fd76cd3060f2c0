import { describe, expect, it } from 'vitest';
import type { GroupSpec } from '../src/model.js';
import { RecordingAdapter, classPlaybook, testBot, FAQ_BLOCK } from './helpers/harness.js';


/** A platform that can list its chats by title, like WeChat rooms; ids may change at each login. */
class LookupAdapter extends RecordingAdapter {
  rooms = new Map<string, string>([['三年级二班家长群', 'room-1'], ['老师群', 'room-staff']]);
  async resolveGroups(specs: GroupSpec[]) {
    return specs.map((s) => this.rooms.get(s.name ?? '') ?? null);
  }
}

describe('groups bound by title', () => {
  it('are looked up at start, looked up again after a re-login that renumbered them, and never bound by a message title', async () => {
    const pb = classPlaybook(FAQ_BLOCK).replace('    id: class-1\n', '').replace('  id: staff-1\n', '');
    const adapter = new LookupAdapter();
    const t = await testBot({ 'c1.yaml': pb }, { adapter });
    await t.bot.tick();
    // The staff group is not looked up by its title: it waits for a staff member to speak there.
    expect(t.bot.engine.router.unbound('console').map((r) => r.kind)).toEqual(['staff']);
    await t.say('王妈妈', '你好', { groupId: 'room-staff-lookalike', groupName: '老师群' });
    await t.say('li', '/待办', { groupId: 'room-staff', groupName: '老师群' });
    expect(t.bot.engine.router.unbound('console')).toEqual([]);
    expect(adapter.sent.map((m) => m.target)).toEqual([{ kind: 'group', groupId: 'room-staff' }]);
    adapter.clear();
    await t.say('王妈妈', '课表在哪？', { groupId: 'room-1' });
    expect(adapter.sent.map((m) => m.target)).toEqual([{ kind: 'group', groupId: 'room-1' }]);

    // A chat that only shares the title is not the class group on such a platform.
    adapter.clear();
    await t.say('王妈妈', '课表在哪？', { groupId: 'room-lookalike' });
    expect(adapter.sent).toEqual([]);

    // Logged out: nothing is attempted; after the re-login the rooms have new ids.
    adapter.online = false;
    await t.say('王妈妈', '课表呢？', { groupId: 'room-1' });
    await t.advance(5 * 60_000);
    expect(adapter.sent).toEqual([]);
    expect(t.bot.store.sqlite.prepare(`SELECT status, attempts FROM outbox ORDER BY id DESC LIMIT 1`).get()).toEqual({ status: 'pending', attempts: 0 });
    adapter.rooms.set('三年级二班家长群', 'room-1b');
    adapter.online = true;
    await t.bot.tick();
    await t.bot.tick();
    expect(adapter.sent.map((m) => m.text)).toEqual(['课表在群文件里。']);
    expect(t.bot.engine.services.router.chatIdOf(t.bot.engine.playbooks[0]!, t.bot.engine.playbooks[0]!.groups[0]!)).toBe('room-1b');
    adapter.clear();
    await t.say('王妈妈', '课表在哪？', { groupId: 'room-1b' });
    expect(adapter.sent.map((m) => m.target)).toEqual([{ kind: 'group', groupId: 'room-1b' }]);
    await t.stop();
  });

  it('tells the staff once a day about a group that cannot be found', async () => {
    const pb = classPlaybook().replace('    id: class-1\n', '');
    const adapter = new LookupAdapter();
    adapter.rooms.delete('三年级二班家长群');
    const t = await testBot({ 'c1.yaml': pb }, { adapter });
    await t.bot.tick();
    expect(adapter.textsTo('staff-1')).toEqual([expect.stringContaining('没有找到群“三年级二班家长群”')]);
    await t.stop();
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { ROOT } from '../helpers/cli.js';
import { testBot } from '../helpers/harness.js';

/** Every table's rows except the ones a refused message itself adds (its row, the refusal reply). */
function snapshot(store: Store): string {
  const tables = (store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`).all() as { name: string }[])
    .map((t) => t.name)
    .filter((n) => !['messages', 'outbox', 'members', 'group_members', 'groups'].includes(n));
  return JSON.stringify(tables.map((t) => [t, store.sqlite.prepare(`SELECT * FROM "${t}"`).all()]));
}

const ARGS = ['', '1', '1 王妈妈', '1 家长已回电，问题已解决', '王妈妈 2026-11-23', '王妈妈', '1 李老师'];

describe('authorization', () => {
  it('refuses every staff-only command from a parent, in the group and in a direct chat, and changes nothing', async () => {
    const t = await testBot(join(ROOT, 'playbooks'), { now: '2026-11-23T10:00:00+08:00' });
    const group = { groupId: 'g3-class2-parents', groupName: '三年级二班家长群' };
    // Give the commands something to act on: activity, a check-in, a worried message.
    await t.say('王妈妈', '打卡', group);
    await t.say('王妈妈', '孩子最近天天哭，不想上学，我很担心', group);
    const staffOnly = t.bot.engine.commands.specs.filter((s) => s.staffOnly);
    expect(staffOnly.length).toBeGreaterThan(0);
    const before = snapshot(t.bot.store);
    for (const spec of staffOnly) {
      for (const args of ARGS) {
        for (const where of [group, { chatType: 'direct' as const, groupId: null, addressed: true }]) {
          t.adapter.clear();
          await t.say('王妈妈', `/${spec.names[0]} ${args}`.trim(), where);
          expect(t.adapter.sent.map((m) => m.text)).toEqual([expect.stringContaining('只有老师和助教可以使用')]);
        }
      }
    }
    expect(snapshot(t.bot.store)).toBe(before);
    await t.stop();
  });
});

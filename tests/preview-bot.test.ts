/**
 * `classbot preview` agrees with the bot on what the database knows: groups already bound by
 * title, the members the weekly report counts, and follow-ups already closed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPreview, runPreview } from '../src/cli/preview.js';
import { classPlaybook, playbookDir, testBot } from './helpers/harness.js';

const WORRIED = '孩子在学校被同学欺负了，回家一直哭';

describe('preview on a live database', () => {
  it('knows the groups and members the bot knows', async () => {
    const yaml = classPlaybook('reports: { schedule: "0 8 * * 1" }\n').replace('    id: class-1\n', '').replace('  id: staff-1\n', '');
    const dir = playbookDir({ 'c1.yaml': yaml });
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-preview-')), 'bot.db');
    const live = await testBot(dir, { dbPath, now: '2026-11-19T18:00:00+08:00' });
    await live.say({ id: 'staff-li', name: '李老师' }, '/帮助', { groupId: 'chat-staff', groupName: '老师群' });
    await live.say({ id: 'wang_m', name: '王妈妈' }, '大家好', { groupId: 'chat-class', groupName: '三年级二班家长群' });
    await live.say({ id: 'chen_m', name: '陈妈妈' }, WORRIED, { groupId: 'chat-class', groupName: '三年级二班家长群' });
    await live.say({ id: 'li', name: '李老师' }, '/误报 1 已了解，是误会', { groupId: 'chat-staff', groupName: '老师群' });
    await live.stop();
    const from = Date.parse('2026-11-22T20:00:00+08:00');
    const result = await runPreview({ playbookDir: dir, dbPath, from, days: 2 });
    const [klass, staff] = result.playbooks[0]!.chats;
    expect([klass!.unbound, staff!.unbound]).toEqual([false, false]);
    const text = formatPreview(result.playbooks, from, 2);
    expect(text).not.toContain('机器人还不知道这个群的 ID');
    // Monday's report counts the two families of the week, as the bot's own post will.
    const report = staff!.items.find((i) => i.kind === 'message' && i.text.includes('活动周报'));
    expect(report?.text).toContain('成员 2（+2），活跃 2（+2），消息 2（+2）');
  });
});

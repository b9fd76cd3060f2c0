/**
 * `classbot followups list|show|claim|note|resolve|dismiss|reassign` on a database the bot wrote:
 * the real executable, staff checked by --as, changes audited, the rating request left in the
 * outbox for the running bot to send.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.js';
import { runCli } from './helpers/cli.js';
import { classPlaybook, playbookDir, testBot } from './helpers/harness.js';

const WORRIED = '孩子最近作业写到十一点，跟不上，好焦虑';
const COMPLAINT = '说好的回放呢？第三次了，没人回复，太敷衍了，要投诉';

async function seeded(): Promise<{ dir: string; path: string; cli: (...args: string[]) => ReturnType<typeof runCli> }> {
  const dir = playbookDir({ 'c1.yaml': classPlaybook() });
  const path = join(mkdtempSync(join(tmpdir(), 'classbot-fu-cli-')), 'bot.db');
  const t = await testBot(dir, { dbPath: path, now: '2026-11-23T18:00:00+08:00' });
  await t.say('王妈妈', WORRIED);
  await t.say('赵爸爸', COMPLAINT);
  await t.stop();
  return { dir, path, cli: (...args) => runCli(['followups', ...args, '--db', path, '--playbooks', dir]) };
}

function trail(path: string, id: number) {
  const store = openStore(path);
  try {
    return store.sqlite.prepare('SELECT actor, action, status, detail FROM followup_events WHERE followup_id = ? ORDER BY id').all(id);
  } finally {
    store.close();
  }
}

describe('classbot followups', () => {
  it('lists, acts as a named staff member with an audit row each, and shows the record', async () => {
    const { path, dir, cli } = await seeded();

    const list = cli('list');
    expect(list.status).toBe(0);
    expect(list.lines).toHaveLength(2);
    expect(list.lines[0]).toMatch(/^\[三年级二班\] #2 投诉·高 · 赵爸爸 · 待认领（李老师）· /);
    expect(list.lines[1]).toMatch(/^\[三年级二班\] #1 学习·中 · 王妈妈 · 待认领（李老师）· /);

    expect(cli('claim', '1', '--as', '王老师').stdout).toMatch(/^✅ 王老师 认领了跟进 #1（王妈妈），请在 .+ 前解决。\n$/);
    expect(cli('note', '1', '已打电话，', '约了面谈', '--as', '王老师').stdout).toBe('📝 已记在跟进 #1 上。\n');
    expect(cli('resolve', '#1', '面谈后家长放心了', '--as', '王老师').stdout).toBe('✅ 跟进 #1（王妈妈）已解决，已请家长评价。\n');
    expect(cli('reassign', '2', '张主任', '--as', '李老师').stdout).toBe('跟进 #2 已转交给 张主任。\n');
    expect(cli('dismiss', '2', '家长在说别的机构', '--as', '张主任').stdout).toBe('已把跟进 #2 标为误报，谢谢反馈，会用来改进识别。\n');

    const again = cli('dismiss', '2', '--as', '张主任');
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('跟进 #2 已结束（误报），不能再操作。\n');

    expect(trail(path, 1)).toEqual([
      expect.objectContaining({ actor: 'system', action: 'opened' }),
      { actor: '王老师', action: 'claimed', status: 'claimed', detail: null },
      { actor: '王老师', action: 'noted', status: 'claimed', detail: '已打电话， 约了面谈' },
      { actor: '王老师', action: 'resolved', status: 'resolved', detail: '面谈后家长放心了' },
      { actor: 'system', action: 'rating_asked', status: 'resolved', detail: null },
    ]);

    const show = cli('show', '1');
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('跟进 #1｜学习·中｜已解决');
    expect(show.stdout).toContain('王老师 解决：面谈后家长放心了');
    expect(show.stdout).toContain('评价：（未评价）');

    expect(cli('list').stdout).toBe('没有待处理的跟进。\n');
    // Closed ones say when they closed, not that their deadlines passed.
    const all = cli('list', '--all').lines;
    expect(all).toHaveLength(2);
    expect(all[0]).toMatch(/^\[三年级二班\] #2 投诉·高 · 赵爸爸 · 误报（张主任）· (\d+月\d+日 )?\d\d:\d\d 结束$/);
    expect(all[1]).toMatch(/^\[三年级二班\] #1 学习·中 · 王妈妈 · 已解决（王老师）· (\d+月\d+日 )?\d\d:\d\d 结束$/);

    // The running bot sends the rating request the CLI queued, to the parent in the class group.
    const t = await testBot(dir, { dbPath: path, now: Date.now() + 60_000 });
    try {
      const ask = t.adapter.sent.find((m) => m.text.includes('回复 1–5'));
      expect(ask).toMatchObject({ target: { kind: 'group', groupId: 'class-1' }, mentions: [{ id: '王妈妈', name: '王妈妈' }] });
    } finally {
      await t.stop();
    }
  });

  it('refuses anyone who is not staff of the playbook, and changes nothing', async () => {
    const { path, cli } = await seeded();
    const before = trail(path, 1);

    const parent = cli('claim', '1', '--as', '王妈妈');
    expect(parent.status).toBe(1);
    expect(parent.stderr).toContain('“王妈妈”不是班级配置');
    const nobody = cli('resolve', '1');
    expect(nobody.status).toBe(2);
    expect(nobody.stderr).toContain('--as');
    expect(cli('claim', '99', '--as', '李老师').stderr).toContain('没有找到跟进 #99');
    expect(cli('note', '1', '--as', '李老师').stderr).toBe('备注内容不能为空\n');
    expect(cli('frobnicate', '1').status).toBe(2);

    expect(trail(path, 1)).toEqual(before);
  });
});

import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { SendError } from '../src/model.js';
import { FAQ_BLOCK, RecordingAdapter, playbookDir, testBot, type TestBot } from './helpers/harness.js';
import { runCli } from './helpers/cli.js';

const quota = () => new SendError('HTTP 403 Forbidden.AccessDenied.ApiCountLimitForOrg', false, undefined, { reason: 'dingtalk-quota' });

/** The class and its staff group on the console; the assistant also reachable on Lark. */
const PLAYBOOK = `id: c1
name: 三年级二班
timezone: Asia/Shanghai
groups:
  - { key: class, platform: console, id: class-1, name: 三年级二班家长群 }
staff_group: { platform: console, id: staff-1, name: 老师群 }
staff:
  - { name: 李老师, role: assistant, ids: { console: li, lark: ou_li } }
  - { name: 王老师, role: head_teacher, ids: { console: wang } }
${FAQ_BLOCK}`;

function outbox(t: TestBot) {
  return t.bot.store.sqlite.prepare(`SELECT status, attempts, platform FROM outbox WHERE platform = 'console' ORDER BY id`).all() as { status: string; attempts: number }[];
}

describe('a platform that refuses every send (monthly quota)', () => {
  it('holds its messages without spending attempts, tells staff elsewhere, probes, and resumes by itself', async () => {
    const dir = playbookDir({ 'c1.yaml': PLAYBOOK });
    const dbPath = join(dir, 'bot.db');
    const t = await testBot(dir, { dbPath });
    const lark = new RecordingAdapter({ platform: 'lark' });
    await lark.start(() => undefined);
    t.bot.engine.registerAdapter(lark);
    let calls = 0;
    const send = t.adapter.send.bind(t.adapter);
    t.adapter.send = (msg) => {
      calls++;
      return send(msg);
    };
    t.adapter.failures.push(quota());
    await t.say('王妈妈', '课表在哪？');
    expect(calls).toBe(1);
    expect(outbox(t)).toEqual([{ status: 'pending', attempts: 0, platform: 'console' }]);
    // The staff group is on the blocked platform: the assistant hears it on Lark.
    expect(lark.sent).toHaveLength(1);
    expect(lark.sent[0]).toMatchObject({ target: { kind: 'direct', memberId: 'ou_li' } });
    expect(lark.sent[0]!.text).toContain('控制台暂停发送');
    expect(lark.sent[0]!.text).toContain('本组织本月的钉钉接口调用次数已用完');

    // More messages queue up meanwhile; none is tried before the probe is due.
    await t.say('李妈妈', '课表在哪？');
    await t.advance(10 * 60_000);
    expect(calls).toBe(1);
    const list = runCli(['outbox', 'list', '--db', dbPath, '--playbooks', dir]);
    expect(list.stdout.split('\n')[0]).toMatch(/^⚠️ 控制台暂停发送（自 .+）：本月接口调用次数已用完；2 条消息排队中，不消耗重试次数；下次试发 /);

    // The probe at 15 minutes still fails: one call, nothing spent, no second alert.
    t.adapter.failures.push(quota());
    await t.advance(5 * 60_000);
    expect(calls).toBe(2);
    expect(outbox(t).map((r) => r.attempts)).toEqual([0, 0]);
    expect(lark.sent).toHaveLength(1);

    // The next probe goes through: everything held follows, in order, and staff hear it resumed.
    await t.advance(15 * 60_000);
    const to = (chat: string) => t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === chat).map((m) => m.text);
    expect(to('class-1')).toEqual(['课表在群文件里。', '课表在群文件里。']);
    expect(to('staff-1')).toEqual(['✅ 控制台恢复发送，排队的 1 条消息正在陆续发出。']);
    expect(outbox(t).every((r) => r.status === 'sent')).toBe(true);
    await t.stop();
    expect(runCli(['outbox', 'list', '--db', dbPath, '--playbooks', dir]).stdout).not.toMatch(/^⚠️ 控制台暂停发送（自/m);
  });

  it('logs that no channel is left when staff can only be reached on the blocked platform', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).trim().split('\n')), done()) });
    const t = await testBot({ 'c1.yaml': PLAYBOOK.replace(', lark: ou_li', '') }, { log: createLogger({ destination }) });
    t.adapter.failures.push(quota());
    await t.say('王妈妈', '课表在哪？');
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('no channel left to tell staff that the platform stopped sending');
    expect(t.adapter.sent).toEqual([]);
    await t.stop();
  });
});

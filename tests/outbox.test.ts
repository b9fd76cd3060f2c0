import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SendError } from '../src/model.js';
import { RecordingAdapter, classPlaybook, playbookDir, testBot, type TestBot, FAQ_BLOCK } from './helpers/harness.js';
import { runCli } from './helpers/cli.js';


function rows(t: TestBot) {
  return t.bot.store.sqlite.prepare('SELECT status, attempts, last_error AS lastError FROM outbox ORDER BY id').all() as { status: string; attempts: number; lastError: string | null }[];
}

describe('outbox', () => {
  it('retries a retryable failure with backoff, then sends', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) }, { outbox: { baseBackoffMs: 2000 } });
    t.adapter.failures.push(new SendError('429 too many', true), new SendError('502', true));
    await t.say('王妈妈', '课表在哪？');
    expect(t.adapter.sent).toHaveLength(0);
    expect(rows(t)[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: '429 too many' });
    t.clock.advance(1999);
    await t.bot.tick();
    expect(rows(t)[0]!.attempts).toBe(1);
    t.clock.advance(1);
    await t.bot.tick();
    expect(rows(t)[0]).toMatchObject({ status: 'pending', attempts: 2 });
    t.clock.advance(4000);
    await t.bot.tick();
    expect(t.adapter.sent.map((m) => m.text)).toEqual(['课表在群文件里。']);
    expect(rows(t)[0]).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    await t.stop();
  });

  it('honours the platform retry-after, and a permanent error ends as a dead letter at once', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    t.adapter.failures.push(new SendError('rate limited', true, 60_000));
    await t.say('王妈妈', '课表在哪？');
    await t.advance(59_000);
    expect(t.adapter.sent).toHaveLength(0);
    await t.advance(1_000);
    expect(t.adapter.sent).toHaveLength(1);
    t.adapter.failures.push(new SendError('bot not in chat', false));
    await t.say('李妈妈', '课表在哪？');
    expect(rows(t)[1]).toMatchObject({ status: 'failed', attempts: 1, lastError: 'bot not in chat' });
    await t.stop();
  });

  it('keeps messages and their replies when the database refuses to update the outbox, and sends once it accepts again', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    t.bot.store.sqlite.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    await t.say('王妈妈', '课表在哪？');
    expect(t.adapter.sent).toHaveLength(0);
    expect(t.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 1 });
    expect(rows(t)).toMatchObject([{ status: 'pending', attempts: 0 }]);
    t.bot.store.sqlite.exec('DROP TRIGGER refuse');
    await t.bot.tick();
    expect(t.adapter.sent.map((m) => m.text)).toEqual(['课表在群文件里。']);
    expect(rows(t)).toMatchObject([{ status: 'sent', attempts: 1 }]);
    await t.stop();
  });

  it('keeps a send’s outcome until the database takes it, without sending again', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    t.bot.store.sqlite.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON outbox WHEN NEW.status = 'sent' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    await t.say('王妈妈', '课表在哪？');
    expect(t.adapter.sent).toHaveLength(1);
    expect(rows(t)).toMatchObject([{ status: 'sending', attempts: 1 }]);
    t.bot.store.sqlite.exec('DROP TRIGGER refuse');
    await t.bot.tick();
    expect(t.adapter.sent).toHaveLength(1);
    expect(rows(t)).toMatchObject([{ status: 'sent', attempts: 1 }]);
    await t.stop();
  });

  it('gives up after the maximum attempts and shows the dead letter to staff on the CLI', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    const dbPath = join(dir, 'bot.db');
    const t = await testBot(dir, { dbPath, outbox: { maxAttempts: 3, baseBackoffMs: 1000 } });
    t.adapter.failures.push(...Array.from({ length: 5 }, () => new SendError('timeout', true)));
    await t.say('王妈妈', '课表在哪？');
    await t.advance(10 * 60_000);
    expect(rows(t)[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'timeout' });
    await t.stop();
    const list = runCli(['outbox', 'list', '--failed', '--db', dbPath, '--playbooks', dir]);
    expect(list.status).toBe(0);
    // In the playbook's time zone: the bot ran from 08:00 in Shanghai.
    expect(list.stdout).toMatch(/^#1 失败 console:群:class-1 2026-11-23 08:0\d 尝试3次 \[faq\] 课表在群文件里。\n {4}错误：timeout/);
    const retry = runCli(['outbox', 'retry', '1', '--db', dbPath]);
    expect(retry.stdout).toContain('#1 已重新放入发送队列');
    // The CLI queues it for its own (real) now: the next bot runs from then on.
    const b = await testBot(dir, { dbPath, now: Date.now() });
    await b.bot.tick();
    expect(b.adapter.sent.map((m) => m.text)).toEqual(['课表在群文件里。']);
    await b.stop();
  });

  it('paces a chat within the adapter budget and keeps the order of its messages', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    t.adapter.rateLimits = { perTarget: { max: 2, windowMs: 60_000 } };
    for (let i = 0; i < 5; i++) await t.say(`家长${i}`, `课表在哪？${i}`);
    expect(t.adapter.sent).toHaveLength(2);
    await t.advance(60_000);
    expect(t.adapter.sent).toHaveLength(4);
    await t.advance(60_000);
    expect(t.adapter.sent.map((m) => m.mentions![0]!.name)).toEqual(['家长0', '家长1', '家长2', '家长3', '家长4']);
    await t.stop();
  });

  it('turns a send interrupted by a crash into a dead letter instead of sending it twice', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook(FAQ_BLOCK) });
    const dbPath = join(dir, 'bot.db');
    const a = await testBot(dir, { dbPath });
    await a.say('王妈妈', '课表在哪？');
    a.bot.store.sqlite.prepare(`UPDATE outbox SET status = 'sending'`).run();
    await a.stop();
    const b = await testBot(dir, { dbPath });
    await b.advance(10 * 60_000);
    expect(b.adapter.sent).toHaveLength(0);
    expect(rows(b)[0]).toMatchObject({ status: 'failed', lastError: expect.stringContaining('发送结果未知') });
    await b.stop();
  });
});

describe('a platform that does not answer', () => {
  it('counts a hanging send as a retryable failure, and the chat keeps moving', async () => {
    class Hanging extends RecordingAdapter {
      hang = 1;
      override async send(msg: Parameters<RecordingAdapter['send']>[0]) {
        if (this.hang-- > 0) return new Promise<never>(() => {});
        return super.send(msg);
      }
    }
    const adapter = new Hanging();
    const t = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) }, { adapter, outbox: { sendTimeoutMs: 50, baseBackoffMs: 1000 } });
    await t.say('王妈妈', '课表在哪？');
    expect(rows(t)[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('no answer') });
    await t.advance(60_000);
    expect(adapter.sent.map((m) => m.text)).toEqual(['课表在群文件里。']);
    await t.stop();
  });
});

describe('outbox with two bots on one database', () => {
  it('sends each queued message once when both drain at the same moment', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook() });
    const dbPath = join(dir, 'bot.db');
    const a = await testBot(dir, { dbPath });
    const b = await testBot(dir, { dbPath });
    for (let i = 0; i < 30; i++) {
      a.bot.engine.outbox.enqueue(
        { platform: 'console', target: { kind: 'group', groupId: `chat-${i % 3}` }, text: `通知${i}`, idempotencyKey: `k${i}` },
        { cause: 'test' },
      );
    }
    await Promise.all([a.bot.tick(), b.bot.tick(), a.bot.tick(), b.bot.tick()]);
    const texts = [...a.adapter.sent, ...b.adapter.sent].map((m) => m.text).sort();
    expect(texts).toEqual(Array.from({ length: 30 }, (_, i) => `通知${i}`).sort());
    await a.stop();
    await b.stop();
  });
});

describe('outbox with several platforms', () => {
  it('does not hold one platform back behind another platform backlog', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook() });
    const slow = new RecordingAdapter({ platform: 'wechaty', rateLimits: { perTarget: { max: 1, windowMs: 3_000 }, global: [{ max: 10, windowMs: 30_000 }] } });
    await slow.start(() => undefined);
    t.bot.engine.registerAdapter(slow);
    const { outbox } = t.bot.engine;
    // More WeChat messages than one pass reads, all queued before the console's one.
    for (let i = 0; i < 1_200; i++) {
      outbox.enqueue({ platform: 'wechaty', target: { kind: 'group', groupId: `room-${i}` }, text: `提醒${i}`, idempotencyKey: `w${i}` }, { cause: 'test' });
    }
    outbox.enqueue({ platform: 'console', target: { kind: 'group', groupId: 'class-1' }, text: '回复', idempotencyKey: 'c1' }, { cause: 'test' });
    await t.bot.tick();
    expect(slow.sent).toHaveLength(10);
    expect(t.adapter.sent.map((m) => m.text)).toEqual(['回复']);
    await t.stop();
  });
});

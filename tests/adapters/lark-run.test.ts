/**
 * `npm start` (node adapters/cli.js run) with Lark credentials in the environment starts the Lark
 * adapter, not the console: the real executable against the fake Lark, stopped with SIGTERM
 * after it answered one event.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { messageEvent } from '../fakes/lark/events.js';
import { FakeLark, WS_URL_ACCESS_KEY, WS_URL_TICKET } from '../fakes/lark/server.js';

const APP_SECRET = 'run-app-secret-Qm4Xc8Lp2N';
const TOKEN_PREFIX = 'run-tenant-token-7Hs1';
const CLASS = 'oc_run_class';

const PLAYBOOK = `
id: run-g3
name: 三年级二班
groups:
  - { platform: lark, id: ${CLASS}, name: 三年级二班家长群 }
staff:
  - { name: 李老师, role: assistant, ids: { lark: ou_teacher_li } }
faq:
  - q: 课表在哪里看
    keywords: [课表]
    answer: 本学期课表在群文件“三年级二班课表.pdf”。
`;

let fake: FakeLark | undefined;

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('classbot run with Lark configured', () => {
  it('connects to Lark (no console), answers an event, and stops cleanly on SIGTERM without logging secrets', async () => {
    fake = new FakeLark({ appSecret: APP_SECRET, tokenPrefix: TOKEN_PREFIX });
    await fake.start();
    fake.users.set('ou_parent_wang', '王小明妈妈');
    const dir = mkdtempSync(join(tmpdir(), 'classbot-lark-run-'));
    mkdirSync(join(dir, 'playbooks'));
    writeFileSync(join(dir, 'playbooks', 'g3.yaml'), PLAYBOOK);
    const dbPath = join(dir, 'classbot.db');

    // A working directory of its own: no .env from the checkout can add other platforms.
    const { child, output, exited } = startCli(['run', '--playbooks', 'playbooks', '--db', dbPath], {
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: APP_SECRET,
      LARK_DOMAIN: fake.url,
      LARK_SEES_ALL_GROUP_MESSAGES: '1',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    }, dir);

    await fake.waitForConnections(1);
    const ack = await fake.pushEvent(
      messageEvent({
      messageId: 'om_run_1',
      chatId: CLASS,
      sender: 'ou_parent_wang',
      content: { text: '@_user_1 请问课表在哪里看？' },
      mentions: [{ key: '@_user_1', openId: fake.botOpenId, name: 'classbot' }],
      createTime: Date.now(),
      }),
    );
    expect(ack.code).toBe(200);
    await fake.waitForMessageRequests(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const [reply] = fake.messageRequests();
    expect(reply).toMatchObject({
      path: '/open-apis/im/v1/messages',
      query: { receive_id_type: 'chat_id' },
      headers: { authorization: `Bearer ${TOKEN_PREFIX}1` },
      body: {
      receive_id: CLASS,
      msg_type: 'text',
      content: JSON.stringify({ text: '<at user_id="ou_parent_wang">王小明妈妈</at> 本学期课表在群文件“三年级二班课表.pdf”。' }),
      uuid: 'in:lark:om_run_1:0',
      },
    });
    expect(fake.tokenRequests()[0]?.body).toEqual({ app_id: fake.appId, app_secret: APP_SECRET });

    // The console never started (it writes its transcript to output.stdout); the log tells the story.
    expect(output.stdout).toBe('');
    const lines = output.stderr.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; platforms?: string[] });
    const msgs = lines.map((l) => l.msg);
    expect(msgs).toContain('lark: connected');
    expect(lines.find((l) => l.msg === 'classbot running')?.platforms).toEqual(['lark']);
    expect(msgs.indexOf('stopping')).toBeLessThan(msgs.indexOf('lark: stopped'));
    for (const secret of [APP_SECRET, ...fake.issuedTokenLog, WS_URL_ACCESS_KEY, WS_URL_TICKET]) expect(output.stderr).not.toContain(secret);

    // What it did is in the database it was given, and the outbox has nothing left to send.
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare(`SELECT event_id AS id FROM messages`).all()).toEqual([{ id: 'om_run_1' }]);
      expect(db.prepare(`SELECT key, status FROM outbox`).all()).toEqual([{ key: 'in:lark:om_run_1:0', status: 'sent' }]);
    } finally {
      db.close();
    }
  }, 60_000);
});

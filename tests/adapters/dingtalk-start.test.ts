/**
 * `npm start` (`classbot run`) with DINGTALK_* variables starts DingTalk instead of the console:
 * the real executable in its own process, against the fake DingTalk on 127.0.0.1.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeDingtalk, WEBHOOK_PATH } from '../fakes/dingtalk/fake-dingtalk.js';
import { startCli } from '../helpers/cli.js';
import { playbookDir } from '../helpers/harness.js';

const PLAYBOOK = `id: g3
name: 三年级二班
groups:
  - { platform: dingtalk, name: 三年级二班家长群 }
staff:
  - { name: 李老师, role: assistant, ids: { dingtalk: teacher01 } }
checkin:
  - { id: reading, name: 晨读, trigger: { keywords: [打卡] } }
`;

let fake: FakeDingtalk;

beforeEach(async () => {
  fake = await FakeDingtalk.start();
});

afterEach(async () => {
  await fake.close();
});

describe('classbot run with DingTalk configured', () => {
  it('connects to DingTalk, answers a callback, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-dt-start-'));
    fake.groups.set('cidClassA', '三年级二班家长群');
    const connected = fake.nextConnection();
    const { child, output, exited } = startCli(['run'], {
      DINGTALK_CLIENT_ID: fake.clientId,
      DINGTALK_CLIENT_SECRET: fake.clientSecret,
      DINGTALK_ROBOT_CODE: fake.robotCode,
      DINGTALK_API_BASE: fake.baseUrl,
      DINGTALK_GATEWAY_URL: fake.gatewayUrl,
      CLASSBOT_PLAYBOOKS: playbookDir({ 'g3.yaml': PLAYBOOK }),
      CLASSBOT_DB: join(dir, 'bot.db'),
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    });
    try {
      await Promise.race([
        connected,
        exited.then((code) => {
          throw new Error(`classbot exited (${code}) before connecting:\n${output.stderr}`);
        }),
      ]);
      // The group is bound from the robot's group list (a message before that would find no playbook).
      await vi.waitFor(() => expect(output.stderr).toContain('bound a playbook group to its chat'), { timeout: 20_000, interval: 50 });
      const data = fake.robotMessage({ conversationId: 'cidClassA', conversationTitle: '三年级二班家长群', content: ' 打卡' });
      const ack = await fake.pushRobotMessage(data);
      expect(ack).toMatchObject({ code: 200, headers: { messageId: expect.any(String) } });
      await vi.waitFor(() => expect(fake.deliveries).toHaveLength(1), { timeout: 20_000, interval: 50 });
      expect(fake.deliveries[0]).toMatchObject({
        route: 'webhook',
        conversationId: 'cidClassA',
        text: '✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 1 天。',
      });
      expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const logs = output.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'classbot running', platforms: ['dingtalk'], playbooks: ['g3'] }));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'stopping' }));
    // output.stdout carries no console transcript, only the SDK's own notice (it prints it with console.info).
    expect(output.stdout.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^\[\S+\] connect success$/)]);
    for (const secret of [fake.clientSecret, ...fake.issuedTickets, ...fake.issuedWebhooks]) {
      expect(output.stdout + output.stderr).not.toContain(secret);
    }
  });
});

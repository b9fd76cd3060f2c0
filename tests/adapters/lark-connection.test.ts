import { afterEach, describe, expect, it } from 'vitest';
import { larkConfigFromEnv, larkFromEnv } from '../../adapters/lark/index.js';
import { silentLogger } from '../../src/log.js';
import { messageEvent } from '../fakes/lark/events.js';
import { larkRig, type LarkRig } from '../fakes/lark/harness.js';

let rig: LarkRig | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('Lark long connection', () => {
  it('learns its own open_id, then asks /callback/ws/endpoint for the socket and reports connected', async () => {
    rig = await larkRig();
    const paths = rig.fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      'POST /open-apis/auth/v3/tenant_access_token/internal',
      'GET /open-apis/bot/v3/info',
      'POST /callback/ws/endpoint',
    ]);
    expect(rig.fake.requests[2]?.body).toEqual({ AppID: rig.fake.appId, AppSecret: rig.fake.appSecret });
    expect(rig.states).toEqual(['starting', 'connected']);
    expect(rig.adapter.status().state).toBe('connected');
    expect(rig.adapter.platform).toBe('lark');
    expect(rig.adapter.rateLimits.perTarget).toEqual({ max: 5, windowMs: 1000 });
  });

  it('a dropped connection: reconnecting, then connected again, and an event pushed afterwards arrives', async () => {
    rig = await larkRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_before', chatId: 'oc_g', sender: 'ou_p', content: { text: '早' } }));
    expect((await rig.inbox.next()).eventId).toBe('om_before');

    rig.fake.dropConnections();
    await rig.waitForState('connected', 2);
    await rig.fake.waitForConnections(2);
    expect(rig.states).toEqual(['starting', 'connected', 'reconnecting', 'connected']);
    // The new socket came from a fresh endpoint request, as Lark requires.
    expect(rig.fake.requests.filter((r) => r.path === '/callback/ws/endpoint')).toHaveLength(2);

    const ack = await rig.fake.pushEvent(messageEvent({ messageId: 'om_after', chatId: 'oc_g', sender: 'ou_p', content: { text: '晚' } }));
    expect(ack.code).toBe(200);
    expect((await rig.inbox.next()).eventId).toBe('om_after');
  });

  it('a connection that goes silent is noticed by the ping watchdog and replaced', async () => {
    // The SDK arms its watchdog at each ping, so it can only fire when the timeout is shorter than the interval.
    rig = await larkRig({ fake: { pingIntervalSec: 1 }, adapter: { pingTimeoutSec: 0.5 } });
    rig.fake.silenceConnections();
    await rig.waitForState('connected', 2);
    expect(rig.states).toEqual(['starting', 'connected', 'reconnecting', 'connected']);
    await rig.fake.waitForConnections(2);
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_late', chatId: 'oc_g', sender: 'ou_p', content: { text: '在' } }));
    expect((await rig.inbox.next()).eventId).toBe('om_late');
  });

  it('keeps reconnecting while Lark refuses the endpoint for a while', async () => {
    rig = await larkRig();
    rig.fake.answerNext(/^\/callback\/ws\/endpoint$/, { status: 503, body: 'busy' });
    rig.fake.answerNext(/^\/callback\/ws\/endpoint$/, { status: 503, body: 'busy' });
    rig.fake.dropConnections();
    await rig.waitForState('connected', 2);
    expect(rig.fake.requests.filter((r) => r.path === '/callback/ws/endpoint')).toHaveLength(4);
  });

  it('waits for Lark at start-up instead of failing', async () => {
    rig = await larkRig({ start: false, adapter: { startRetryMs: { first: 10, max: 20 } } });
    rig.fake.answerNext(/bot\/v3\/info/, { status: 502, body: { code: 1, msg: 'bad gateway' } });
    rig.fake.answerNext(/bot\/v3\/info/, { status: 502, body: { code: 1, msg: 'bad gateway' } });
    await rig.adapter.start(rig.inbox.handler);
    await rig.waitForState('connected');
    expect(rig.fake.requests.filter((r) => r.path === '/open-apis/bot/v3/info')).toHaveLength(3);
    expect(rig.adapter.status().state).toBe('connected');
  });

  it('wrong credentials: status error with Lark\'s reason, nothing thrown, still retrying', async () => {
    rig = await larkRig({ start: false, adapter: { appSecret: 'wrong', startRetryMs: { first: 10, max: 20 } } });
    await rig.adapter.start(rig.inbox.handler);
    await rig.waitForState('error');
    expect(rig.adapter.status().detail).toContain('10014');
    await rig.waitForState('error', 2);
    expect(rig.fake.tokenRequests().length).toBeGreaterThanOrEqual(2);
  });

  it('the long-connection endpoint refusing the app: status error', async () => {
    rig = await larkRig({ start: false });
    rig.fake.answerNext(/^\/callback\/ws\/endpoint$/, { status: 200, body: { code: 514, msg: 'auth failed', data: {} } });
    await rig.adapter.start(rig.inbox.handler);
    await rig.waitForState('error');
    expect(rig.adapter.status().detail).toContain('514');
  });

  it('stop() closes the socket and reports stopped', async () => {
    rig = await larkRig();
    await rig.adapter.stop();
    expect(rig.adapter.status().state).toBe('stopped');
    expect(rig.states.at(-1)).toBe('stopped');
  });
});

describe('Lark configuration from the environment', () => {
  const ID = 'cli_a1b2c3d4e5f60718';

  it('is off without LARK_APP_ID', async () => {
    expect(larkConfigFromEnv({})).toBeNull();
    expect(await larkFromEnv({}, silentLogger)).toBeNull();
  });

  it('reads id, secret and domain (feishu by default, lark, or a private deployment)', async () => {
    expect(larkConfigFromEnv({ LARK_APP_ID: ID, LARK_APP_SECRET: 's' })).toEqual({ appId: ID, appSecret: 's', domain: 'https://open.feishu.cn' });
    expect(larkConfigFromEnv({ LARK_APP_ID: ID, LARK_APP_SECRET: 's', LARK_DOMAIN: 'lark' })?.domain).toBe('https://open.larksuite.com');
    expect(larkConfigFromEnv({ LARK_APP_ID: ID, LARK_APP_SECRET: 's', LARK_DOMAIN: 'https://open.school.example/' })?.domain).toBe(
      'https://open.school.example',
    );
    const adapter = await larkFromEnv({ LARK_APP_ID: ID, LARK_APP_SECRET: 's', LARK_SEES_ALL_GROUP_MESSAGES: '1' }, silentLogger);
    expect(adapter?.capabilities).toMatchObject({ seesAllGroupMessages: true, cards: true, mentions: true, mentionAll: true, directMessages: true, files: true });
    expect(adapter?.status().state).toBe('stopped');
  });

  it('explains what is wrong', () => {
    expect(() => larkConfigFromEnv({ LARK_APP_ID: 'abc', LARK_APP_SECRET: 's' })).toThrow(/LARK_APP_ID 格式不对/);
    expect(() => larkConfigFromEnv({ LARK_APP_ID: ID })).toThrow(/LARK_APP_SECRET/);
    expect(() => larkConfigFromEnv({ LARK_APP_ID: ID, LARK_APP_SECRET: 's', LARK_DOMAIN: 'feishu.cn' })).toThrow(/LARK_DOMAIN/);
    expect(() => larkConfigFromEnv({ LARK_APP_ID: ID, LARK_APP_SECRET: 's', LARK_DOMAIN: 'ftp://x' })).toThrow(/LARK_DOMAIN/);
  });
});

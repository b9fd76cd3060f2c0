import { describe, expect, it } from 'vitest';
import { dingtalkConfigFromEnv, dingtalkFromEnv } from '../../adapters/dingtalk/index.js';
import { silentLogger } from '../../src/log.js';

const FULL = { DINGTALK_CLIENT_ID: 'dingabc', DINGTALK_CLIENT_SECRET: 's3cret', DINGTALK_ROBOT_CODE: 'dingabc' };

describe('DingTalk configuration from the environment', () => {
  it('is off when DINGTALK_CLIENT_ID is unset', async () => {
    expect(await dingtalkFromEnv({}, silentLogger)).toBeNull();
  });

  it('names every missing variable when half-configured', async () => {
    await expect(dingtalkFromEnv({ DINGTALK_CLIENT_ID: 'dingabc' }, silentLogger)).rejects.toThrow(
      /DINGTALK_CLIENT_SECRET、DINGTALK_ROBOT_CODE/,
    );
  });

  it('builds an adapter with DingTalk limits and capabilities', async () => {
    const adapter = await dingtalkFromEnv(FULL, silentLogger);
    expect(adapter?.platform).toBe('dingtalk');
    expect(adapter?.rateLimits).toEqual({ perTarget: { max: 20, windowMs: 60_000 }, global: [{ max: 20, windowMs: 1000 }] });
    expect(adapter?.capabilities).toMatchObject({
      seesAllGroupMessages: false,
      directMessages: true,
      cards: false,
      files: false,
      readReceipts: true,
      updatesMessages: false,
    });
    expect(adapter?.status().state).toBe('stopped');
  });

  it('sends alerts with buttons as cards of DINGTALK_CARD_TEMPLATE_ID, which also makes them updatable', async () => {
    const env = { ...FULL, DINGTALK_CARD_TEMPLATE_ID: ' tpl-1.schema ' };
    expect(dingtalkConfigFromEnv(env)?.cardTemplateId).toBe('tpl-1.schema');
    expect((await dingtalkFromEnv(env, silentLogger))?.capabilities).toMatchObject({ cards: true, updatesMessages: true });
  });

  it('defaults to api.dingtalk.com and derives the gateway from a configured API base', () => {
    expect(dingtalkConfigFromEnv(FULL)).toEqual({
      ...{ clientId: 'dingabc', clientSecret: 's3cret', robotCode: 'dingabc' },
      apiBaseUrl: 'https://api.dingtalk.com',
      gatewayUrl: 'https://api.dingtalk.com/v1.0/gateway/connections/open',
    });
    expect(dingtalkConfigFromEnv({ ...FULL, DINGTALK_API_BASE: 'http://127.0.0.1:8080/', DINGTALK_ROBOT_NAME: '班级助手' }))
      .toMatchObject({
        apiBaseUrl: 'http://127.0.0.1:8080',
        gatewayUrl: 'http://127.0.0.1:8080/v1.0/gateway/connections/open',
        robotName: '班级助手',
      });
    expect(dingtalkConfigFromEnv({ ...FULL, DINGTALK_GATEWAY_URL: 'http://127.0.0.1:9/open' })?.gatewayUrl)
      .toBe('http://127.0.0.1:9/open');
  });

  it('rejects a malformed URL with a clear message', () => {
    expect(() => dingtalkConfigFromEnv({ ...FULL, DINGTALK_API_BASE: 'api.dingtalk.com' })).toThrow(/DINGTALK_API_BASE/);
  });
});

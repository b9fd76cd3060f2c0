import { afterEach, describe, expect, it } from 'vitest';
import { SendError, type OutboundMessage } from '../../src/model.js';
import { messageEvent } from '../fakes/lark/events.js';
import { larkRig, type LarkRig } from '../fakes/lark/harness.js';
import { LARK_LIMITS } from '../fakes/lark/limits.js';

let rig: LarkRig;
/** The fake's clock for its frequency limits. */
let now = 0;

afterEach(async () => {
  await rig?.stop();
});

async function start(): Promise<LarkRig> {
  now = 1_760_000_000_000;
  rig = await larkRig({ fake: { now: () => now } });
  return rig;
}

function toGroup(groupId: string, key: string): OutboundMessage {
  return { platform: 'lark', target: { kind: 'group', groupId }, text: '今晚七点交作业', idempotencyKey: key };
}

async function refusal(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SendError);
  return err as SendError;
}

describe('Lark frequency limits (the fake refuses what Lark would)', () => {
  it('the adapter declares every limit of the message API: 5/s per chat, 50/s and 1,000/min per app', async () => {
    await start();
    const { perChat, appPerSecond, appPerMinute } = LARK_LIMITS;
    expect(rig.adapter.rateLimits).toEqual({ perTarget: perChat, global: [appPerSecond, appPerMinute] });
  });

  it('a sixth message to one chat within a second: code 230020, retryable, counted; other chats and the next second are fine', async () => {
    await start();
    for (let i = 0; i < 5; i++) await rig.adapter.send(toGroup('oc_class3', `k${i}`));
    const err = await refusal(rig.adapter.send(toGroup('oc_class3', 'k5')));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('230020');
    await rig.adapter.send(toGroup('oc_class4', 'other'));
    now += 1000;
    await rig.adapter.send(toGroup('oc_class3', 'k5'));
    expect(rig.fake.rateViolations()).toEqual({ perChat: 1, appPerSecond: 0, appPerMinute: 0 });
    expect(rig.fake.posted).toHaveLength(7);
  });

  it("a reply counts against its chat's 5 a second, as Lark counts it", async () => {
    await start();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_question', chatId: 'oc_class3', sender: 'ou_parent_wang', content: { text: '作业是什么？' } }));
    for (let i = 0; i < 5; i++) await rig.adapter.send(toGroup('oc_class3', `k${i}`));
    const err = await refusal(rig.adapter.send({ ...toGroup('oc_class3', 'faq:om_question'), replyTo: 'om_question' }));
    expect(err.message).toContain('230020');
    expect(rig.fake.rateViolations().perChat).toBe(1);
  });

  it('a 51st message in a second app-wide: HTTP 429 with the reset time, counted', async () => {
    await start();
    for (let i = 0; i < 50; i++) await rig.adapter.send(toGroup(`oc_${i}`, `k${i}`));
    const err = await refusal(rig.adapter.send(toGroup('oc_50', 'k50')));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    expect(rig.fake.rateViolations()).toEqual({ perChat: 0, appPerSecond: 1, appPerMinute: 0 });
  });

  it('a 1,001st message within a minute, at 50 a second: HTTP 429 until the first second leaves the window', async () => {
    await start();
    const first = now;
    for (let i = 0; i < 1000; i++) {
      now = first + Math.floor(i / 50) * 1000;
      await rig.adapter.send(toGroup(`oc_${i}`, `k${i}`));
    }
    now = first + 20_000;
    const err = await refusal(rig.adapter.send(toGroup('oc_1000', 'k1000')));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 40_000 });
    expect(rig.fake.rateViolations()).toEqual({ perChat: 0, appPerSecond: 0, appPerMinute: 1 });
    now = first + 60_000;
    await rig.adapter.send(toGroup('oc_1000', 'k1000'));
    expect(rig.fake.limits.accepted).toBe(1001);
  });
});

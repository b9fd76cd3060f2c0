/**
 * End-to-end wiring: the real bot (engine, store, features) with the real Lark adapter against
 * the fake Lark. The adapter is wrapped only to tell the test when an inbound message has been
 * handled by the engine (recorded, features run, outbox drained), so tests wait on events, not time.
 */
import { DefaultCache } from '@larksuiteoapi/node-sdk';
import { LarkAdapter, type LarkAdapterOptions } from '../../../adapters/lark/index.js';
import { startBot, type Bot } from '../../../src/bot.js';
import type { Clock } from '../../../src/clock.js';
import type { Logger } from '../../../src/log.js';
import type {
  Adapter,
  AdapterCapabilities,
  InboundHandler,
  InboundMessage,
  OutboundMessage,
  PlatformEvent,
  PlatformEventHandler,
  RateLimits,
  SentRef,
} from '../../../src/model.js';
import type { FakeLark } from './server.js';

/** Passes everything through to the Lark adapter and records each inbound message once the engine is done with it. */
export class ObservedLark implements Adapter {
  readonly platform = 'lark' as const;
  readonly handled: InboundMessage[] = [];
  /** Platform events, each once the engine is done with it. */
  readonly handledEvents: PlatformEvent[] = [];
  private waiters: { test(m: InboundMessage): boolean; left: number; resolve(): void }[] = [];
  private eventWaiters: { test(e: PlatformEvent): boolean; resolve(): void }[] = [];

  constructor(readonly inner: LarkAdapter) {}

  get capabilities(): AdapterCapabilities {
    return this.inner.capabilities;
  }

  get rateLimits(): RateLimits {
    return this.inner.rateLimits;
  }

  start(onInbound: InboundHandler, onEvent?: PlatformEventHandler): Promise<void> {
    return this.inner.start(
      async (m) => {
        await onInbound(m);
        this.handled.push(m);
        for (const w of [...this.waiters]) {
          if (w.test(m) && --w.left === 0) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      },
      async (e) => {
        await onEvent?.(e);
        this.handledEvents.push(e);
        for (const w of this.eventWaiters.filter((x) => x.test(e))) {
          this.eventWaiters.splice(this.eventWaiters.indexOf(w), 1);
          w.resolve();
        }
      },
    );
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  status() {
    return this.inner.status();
  }

  send(msg: OutboundMessage) {
    return this.inner.send(msg);
  }

  readBy(sent: SentRef) {
    return this.inner.readBy(sent);
  }

  /** Resolves once the engine has handled the next platform event matching `test`. */
  nextEvent(test: (e: PlatformEvent) => boolean): Promise<void> {
    return new Promise((resolve) => this.eventWaiters.push({ test, resolve }));
  }

  /** Resolves once `count` more messages matching `test` have been handled from now on. */
  nextHandled(test: (m: InboundMessage) => boolean, count = 1): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ test, left: count, resolve }));
  }
}

export interface LarkBot {
  bot: Bot;
  adapter: ObservedLark;
}

/**
 * Starts the bot on `dbPath` with a fresh Lark adapter (new SDK client, token cache and
 * WSClient, as a restarted process would have) and waits until its long connection is up. Then
 * it ticks once, as the bot's own one-second timer would: the outbox holds sends while an
 * adapter is not connected, so what the start-up tick queued goes out now.
 */
export async function startLarkBot(opts: {
  fake: FakeLark;
  playbookDir: string;
  dbPath: string;
  clock: Clock;
  log: Logger;
  adapter?: Partial<LarkAdapterOptions>;
}): Promise<LarkBot> {
  const { fake } = opts;
  const inner = new LarkAdapter({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    log: opts.log.child({ platform: 'lark' }),
    tokenCache: new DefaultCache(),
    seesAllGroupMessages: true,
    ...opts.adapter,
  });
  const adapter = new ObservedLark(inner);
  const connections = fake.connectionsReady + 1;
  const bot = await startBot({ playbookDir: opts.playbookDir, dbPath: opts.dbPath, adapters: [adapter], clock: opts.clock, log: opts.log, watch: false, autoTick: false });
  await fake.waitForConnections(connections);
  await bot.tick();
  return { bot, adapter };
}

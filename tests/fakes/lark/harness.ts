/** Test wiring: a fake Lark, the real adapter pointed at it, and what the adapter reported. */
import { DefaultCache } from '@larksuiteoapi/node-sdk';
import { LarkAdapter, type LarkAdapterOptions } from '../../../adapters/lark/index.js';
import { silentLogger } from '../../../src/log.js';
import type { AdapterState, InboundHandler, InboundMessage, PlatformEvent, PlatformEventHandler } from '../../../src/model.js';
import { FakeLark, type FakeLarkOptions } from './server.js';

/** Inbound messages (or platform events) as they arrive, awaitable one by one. */
export class Inbox<T = InboundMessage> {
  readonly all: T[] = [];
  private waiters: ((m: T) => void)[] = [];
  private read = 0;

  readonly handler = (m: T): void => {
    this.all.push(m);
    this.waiters.shift()?.(m);
  };

  /** The next one not yet returned by next(). */
  next(): Promise<T> {
    const i = this.read++;
    const m = this.all[i];
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface LarkRig {
  fake: FakeLark;
  adapter: LarkAdapter;
  inbox: Inbox;
  /** Platform events the adapter reported (group seen, membership, recalls). */
  events: Inbox<PlatformEvent>;
  /** Every state the adapter reported, in order. */
  states: AdapterState[];
  waitForState(state: AdapterState, occurrence?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function larkRig(
  opts: { fake?: FakeLarkOptions; adapter?: Partial<LarkAdapterOptions>; handler?: InboundHandler; onEvent?: PlatformEventHandler; start?: boolean } = {},
): Promise<LarkRig> {
  const fake = new FakeLark(opts.fake);
  await fake.start();
  const adapter = new LarkAdapter({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    log: silentLogger,
    tokenCache: new DefaultCache(),
    ...opts.adapter,
  });
  const inbox = new Inbox();
  const events = new Inbox<PlatformEvent>();
  const states: AdapterState[] = [];
  const waiters: { state: AdapterState; occurrence: number; resolve(): void }[] = [];
  const count = (s: AdapterState) => states.filter((x) => x === s).length;
  adapter.onStatus((s) => {
    states.push(s.state);
    for (const w of [...waiters]) {
      if (count(w.state) >= w.occurrence) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const rig: LarkRig = {
    fake,
    adapter,
    inbox,
    events,
    states,
    waitForState(state, occurrence = 1) {
      if (count(state) >= occurrence) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ state, occurrence, resolve }));
    },
    async stop() {
      await adapter.stop();
      await fake.stop();
    },
  };
  if (opts.start !== false) {
    await adapter.start(opts.handler ?? inbox.handler, opts.onEvent ?? events.handler);
    await rig.waitForState('connected');
    await fake.waitForConnections(1);
  }
  return rig;
}

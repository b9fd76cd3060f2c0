/** Test wiring: a fake Lark, the real adapter pointed at it, and what the adapter reported. */
import { DefaultCache } from '@larksuiteoapi/node-sdk';
import { LarkAdapter, type LarkAdapterOptions } from '../../../adapters/lark/index.js';
import { silentLogger } from '../../../src/log.js';
import type { AdapterState, InboundHandler, InboundMessage } from '../../../src/model.js';
import { FakeLark, type FakeLarkOptions } from './server.js';

/** Inbound messages as they arrive, awaitable one by one. */
export class Inbox {
  readonly all: InboundMessage[] = [];
  private waiters: ((m: InboundMessage) => void)[] = [];
  private read = 0;

  readonly handler: InboundHandler = (m) => {
    this.all.push(m);
    this.waiters.shift()?.(m);
  };

  /** The next message not yet returned by next(). */
  next(): Promise<InboundMessage> {
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
  /** Every state the adapter reported, in order. */
  states: AdapterState[];
  waitForState(state: AdapterState, occurrence?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function larkRig(
  opts: { fake?: FakeLarkOptions; adapter?: Partial<LarkAdapterOptions>; handler?: InboundHandler; start?: boolean } = {},
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
    await adapter.start(opts.handler ?? inbox.handler);
    await rig.waitForState('connected');
    await fake.waitForConnections(1);
  }
  return rig;
}

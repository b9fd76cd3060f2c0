import cron, { type ScheduledTask } from 'node-cron';
import { systemClock, type Clock } from './clock.js';
import { Engine } from './engine/engine.js';
import type { Feature } from './engine/feature.js';
import type { OutboxOptions } from './engine/outbox.js';
import { defaultFeatures } from './features/index.js';
import { cronLogger, silentLogger, type Logger } from './log.js';
import type { Adapter, Platform } from './model.js';
import { formatError, type PlaybookError } from './playbook/load.js';
import { text } from './playbook/playbook.js';
import { PlaybookRegistry } from './playbook/registry.js';
import { startCheckpointer } from './store/checkpointer.js';
import { openStore, type Store } from './store/db.js';
import { InboundSpool } from './store/spool.js';

/**
 * The bot's wait for another connection's write lock. better-sqlite3 waits synchronously, so this
 * bounds how long a lock held elsewhere (a CLI command, another bot) can stall the event loop;
 * what could not be stored is spooled or left for the next tick.
 */
const BUSY_TIMEOUT_MS = 200;

export interface BotOptions {
  playbookDir: string;
  /** SQLite file, or ':memory:' in tests. */
  dbPath: string;
  adapters: Adapter[];
  clock?: Clock;
  log?: Logger;
  features?: Feature[];
  outbox?: OutboxOptions;
  /** Directory relative output paths (report files) resolve against; default the process's working directory. */
  workDir?: string;
  /** Pick up playbook edits while running (default true). */
  watch?: boolean;
  /** Tick every second on the wall clock via node-cron (default true); tests tick by hand. */
  autoTick?: boolean;
}

export interface Bot {
  engine: Engine;
  store: Store;
  registry: PlaybookRegistry;
  /** Errors of playbooks that did not load at start. */
  startupErrors: PlaybookError[];
  /** Run what is due at the clock's current time and send what can be sent. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export class NoPlaybooksError extends Error {
  constructor(readonly errors: PlaybookError[], dir: string) {
    super(errors.length ? `没有可用的班级配置：\n${errors.map(formatError).join('\n')}` : `目录 ${dir} 里没有班级配置（*.yaml）`);
  }
}

export async function startBot(opts: BotOptions): Promise<Bot> {
  const log = opts.log ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const store = openStore(opts.dbPath, { check: true, busyTimeoutMs: BUSY_TIMEOUT_MS });
  const spool = opts.dbPath === ':memory:' ? undefined : new InboundSpool(`${opts.dbPath}.spool`, log);
  const engine = new Engine({ store, clock, log, features: opts.features ?? defaultFeatures(), outbox: opts.outbox, workDir: opts.workDir, spool });
  const registry = new PlaybookRegistry(opts.playbookDir, log, {
    onChange: (playbooks) => engine.setPlaybooks(playbooks),
    onError: (file, errors, lastGood) => {
      if (!lastGood) return;
      // Tell the assistants where it went wrong, in their staff chat; the last good version keeps running.
      engine.services.messenger.toStaff(lastGood, text(lastGood, 'playbook_error', { file: lastGood.file, errors: errors.slice(0, 10).map(formatError).join('\n') }), {
        key: `playbook-error:${lastGood.id}:${clock.now()}`,
        cause: 'playbook',
      });
      void engine.outbox.drain();
    },
  });
  const startupErrors = registry.load();
  for (const e of startupErrors) log.error(formatError(e));
  if (registry.playbooks().length === 0) {
    store.close();
    throw new NoPlaybooksError(startupErrors, opts.playbookDir);
  }
  // Before any adapter delivers: what an earlier run could not store goes first.
  engine.replaySpool();
  const checkpointer = startCheckpointer(store, opts.dbPath, log);
  for (const adapter of opts.adapters) engine.registerAdapter(adapter);
  const lookUp = groupLookUps(engine, opts.adapters, clock, log);
  engine.events.onGroupsChanged = lookUp;
  for (const adapter of opts.adapters) {
    await adapter.start(
      (msg) => engine.handleInbound(msg).then(() => undefined),
      (event) => engine.handleEvent(event),
    );
    log.info({ platform: adapter.platform, status: adapter.status() }, 'adapter started');
  }
  for (const adapter of opts.adapters) void lookUp(adapter.platform);
  if (opts.watch !== false) registry.watch();

  // An adapter that comes back after a logout re-binds its groups: their ids may have changed.
  const wasConnected = new Map(opts.adapters.map((a) => [a, false]));
  const rebindAfterReconnect = () => {
    for (const adapter of opts.adapters) {
      const connected = adapter.status().state === 'connected';
      if (connected && wasConnected.get(adapter) === false && seenConnected.has(adapter)) lookUp(adapter.platform);
      if (connected) seenConnected.add(adapter);
      wasConnected.set(adapter, connected);
    }
  };
  const seenConnected = new Set<Adapter>();
  let ticking: Promise<void> | null = null;
  const tick = () => {
    rebindAfterReconnect();
    return (ticking ??= engine.tick().finally(() => (ticking = null)));
  };
  // Catch up on fires missed while the bot was down, then keep time.
  await tick();
  let task: ScheduledTask | null = null;
  if (opts.autoTick !== false) {
    task = cron.schedule('* * * * * *', () => void tick(), { name: 'classbot-tick', noOverlap: true, logger: cronLogger(log) });
    // A second the event loop or a suspended machine skipped is harmless: the next tick catches up on the clock.
    task.on('execution:missed', ({ date }) => log.debug({ at: date.toISOString() }, 'tick missed; the next one catches up'));
  }

  return {
    engine,
    store,
    registry,
    startupErrors,
    tick,
    async stop() {
      await task?.destroy();
      registry.close();
      await ticking;
      await engine.outbox.drain();
      for (const adapter of opts.adapters) {
        try {
          await adapter.stop();
        } catch (e) {
          log.warn({ platform: adapter.platform, err: (e as Error).message }, 'adapter stop failed');
        }
      }
      await checkpointer?.stop();
      spool?.close();
      store.close();
    },
  };
}

/**
 * Looks a platform's title-bound groups up (at start, after a re-login, when the adapter says its
 * group list grew). One look-up at a time per platform; asks during one make one more after it.
 */
function groupLookUps(engine: Engine, adapters: Adapter[], clock: Clock, log: Logger): (platform: Platform) => Promise<void> {
  const running = new Map<Platform, { again: boolean; done: Promise<void> }>();
  return (platform) => {
    const adapter = adapters.find((a) => a.platform === platform);
    if (!adapter?.resolveGroups) return Promise.resolve();
    const current = running.get(platform);
    if (current) {
      current.again = true;
      return current.done;
    }
    const chain = { again: false, done: Promise.resolve() };
    // Resolves once no look-up is left to run: whoever asked (an adapter holding a room's first
    // message) then finds the room bound.
    chain.done = (async () => {
      try {
        do {
          chain.again = false;
          await bindGroups(engine, adapter, clock, log);
        } while (chain.again);
        await engine.lookedUp(platform);
      } finally {
        running.delete(platform);
      }
    })();
    running.set(platform, chain);
    return chain.done;
  };
}

/**
 * Asks an adapter that can look chats up (WeChat rooms by topic) for the ids of title-bound
 * groups, so reminders reach them before anyone posts, and again after a re-login (some puppets
 * renumber rooms). Groups not found are reported to the staff once a day. Not awaited at start:
 * it may wait for a QR login.
 */
async function bindGroups(engine: Engine, adapter: Adapter, clock: Clock, log: Logger): Promise<void> {
  // The staff group is never bound by a title alone: a staff member's message there binds it.
  const routes = engine.router.titleBound(adapter.platform).filter((r) => r.kind === 'class');
  if (routes.length === 0) return;
  let ids: (string | null)[];
  try {
    ids = await adapter.resolveGroups!(routes.map((r) => ({ name: r.group.name, ...(r.group.match ? { match: r.group.match } : {}) })));
  } catch (e) {
    if (adapter.status().state !== 'stopped') log.warn({ platform: adapter.platform, err: (e as Error).message }, 'could not look up group ids');
    return;
  }
  const now = clock.now();
  ids.forEach((id, i) => id && engine.router.learn(routes[i]!, id, routes[i]!.group.name, now));
  const day = new Date(now).toISOString().slice(0, 10);
  ids.forEach((id, i) => {
    const r = routes[i]!;
    // Still bound (a renamed room, known by its id): nothing to report.
    if (id || engine.router.chatIdOf(r.playbook, r.group)) return;
    engine.services.messenger.toStaff(r.playbook, text(r.playbook, 'group_not_found', { group: r.group.name, platform: adapter.platform }), {
      key: `group-not-found:${r.playbook.id}:${r.group.key}:${day}`,
      cause: 'system',
    });
  });
  await engine.outbox.drain();
}

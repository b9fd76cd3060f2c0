import cron, { type ScheduledTask } from 'node-cron';
import { systemClock, type Clock } from './clock.js';
import { Engine } from './engine/engine.js';
import type { Feature } from './engine/feature.js';
import type { OutboxOptions } from './engine/outbox.js';
import { defaultFeatures } from './features/index.js';
import { cronLogger, silentLogger, type Logger } from './log.js';
import type { Adapter } from './model.js';
import { formatError, type PlaybookError } from './playbook/load.js';
import { text } from './playbook/playbook.js';
import { PlaybookRegistry } from './playbook/registry.js';
import { startCheckpointer } from './store/checkpointer.js';
import { openStore, type Store } from './store/db.js';

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
  const store = openStore(opts.dbPath);
  const engine = new Engine({ store, clock, log, features: opts.features ?? defaultFeatures(), outbox: opts.outbox, workDir: opts.workDir });
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
  const checkpointer = startCheckpointer(store, opts.dbPath, log);
  for (const adapter of opts.adapters) engine.registerAdapter(adapter);
  for (const adapter of opts.adapters) {
    await adapter.start((msg) => engine.handleInbound(msg).then(() => undefined));
    log.info({ platform: adapter.platform, status: adapter.status() }, 'adapter started');
  }
  for (const adapter of opts.adapters) if (adapter.resolveGroups) void bindGroups(engine, adapter, clock, log);
  if (opts.watch !== false) registry.watch();

  // An adapter that comes back after a logout re-binds its groups: their ids may have changed.
  const wasConnected = new Map(opts.adapters.map((a) => [a, false]));
  const rebindAfterReconnect = () => {
    for (const adapter of opts.adapters) {
      const connected = adapter.status().state === 'connected';
      if (connected && wasConnected.get(adapter) === false && adapter.resolveGroups && seenConnected.has(adapter)) void bindGroups(engine, adapter, clock, log);
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
      store.close();
    },
  };
}

/**
 * Asks an adapter that can look chats up (WeChat rooms by topic) for the ids of title-bound
 * groups, so reminders reach them before anyone posts, and again after a re-login (some puppets
 * renumber rooms). Groups not found are reported to the staff once a day. Not awaited at start:
 * it may wait for a QR login.
 */
async function bindGroups(engine: Engine, adapter: Adapter, clock: Clock, log: Logger): Promise<void> {
  const routes = engine.router.titleBound(adapter.platform);
  if (routes.length === 0) return;
  let ids: (string | null)[];
  try {
    ids = await adapter.resolveGroups!(routes.map((r) => ({ name: r.group.name, ...(r.group.match ? { match: r.group.match } : {}) })));
  } catch (e) {
    if (adapter.status().state !== 'stopped') log.warn({ platform: adapter.platform, err: (e as Error).message }, 'could not look up group ids');
    return;
  }
  const now = clock.now();
  // Learn every found chat first: the staff group may be among them, and it hears about the rest.
  ids.forEach((id, i) => id && engine.router.learn(routes[i]!, id, routes[i]!.group.name, now));
  const day = new Date(now).toISOString().slice(0, 10);
  ids.forEach((id, i) => {
    const r = routes[i]!;
    if (id) return;
    engine.services.messenger.toStaff(r.playbook, text(r.playbook, 'group_not_found', { group: r.group.name, platform: adapter.platform }), {
      key: `group-not-found:${r.playbook.id}:${r.group.key}:${day}`,
      cause: 'system',
    });
  });
  await engine.outbox.drain();
}

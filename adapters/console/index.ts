import type { Readable, Writable } from 'node:stream';
import { startBot, type BotOptions } from '../../src/bot.js';
import { ShiftedClock } from '../../src/clock.js';
import type { Adapter } from '../../src/model.js';
import { formatHHMM, localParts } from '../../src/time.js';
import { loadPlaybookDir } from '../../src/playbook/load.js';
import type { Playbook } from '../../src/playbook/playbook.js';
import { ConsoleAdapter } from './adapter.js';
import { runConsole, type ConsoleChat } from './repl.js';
import { ConsoleScreen } from './screen.js';

export { ConsoleAdapter } from './adapter.js';

export interface ConsoleRunOptions extends Omit<BotOptions, 'adapters' | 'clock'> {
  input: Readable;
  output: Writable;
  interactive: boolean;
  /** Freeze the start time (reproducible sessions); real time otherwise. */
  now?: number;
  /** Platform adapters that run beside the console, if any. */
  extraAdapters?: Adapter[];
}

function consoleChats(playbooks: Playbook[]): ConsoleChat[] {
  return playbooks.flatMap((playbook) => [
    ...playbook.groups.filter((g) => g.platform === 'console').map((g) => ({ id: g.id ?? g.name, name: g.name, kind: 'class' as const, playbook })),
    ...(playbook.staffGroup?.platform === 'console' ? [{ id: playbook.staffGroup.id ?? playbook.staffGroup.name, name: playbook.staffGroup.name, kind: 'staff' as const, playbook }] : []),
  ]);
}

/** Runs the bot with a local console group until the input ends. */
export async function runConsoleBot(opts: ConsoleRunOptions): Promise<void> {
  const clock = new ShiftedClock(opts.now);
  const names = new Map<string, string>();
  const screen = new ConsoleScreen(opts.output);
  const write = (line: string) => screen.line(line);
  let tz = 'Asia/Shanghai';
  const chatLine = (line: string) => write(`${formatHHMM(localParts(clock.now(), tz).minuteOfDay)} ${line}`);
  const adapter = new ConsoleAdapter(chatLine, names);
  // Known before the bot starts, so catch-up sends at start are labelled with group names too.
  const label = (playbooks: Playbook[]) => {
    for (const c of consoleChats(playbooks)) names.set(c.id, c.name);
  };
  label(loadPlaybookDir(opts.playbookDir).playbooks);
  const bot = await startBot({ ...opts, clock, adapters: [adapter, ...(opts.extraAdapters ?? [])] });
  try {
    const chats = consoleChats(bot.engine.playbooks);
    if (chats.length === 0) {
      write('没有配置控制台群（platform: console），请在班级配置里添加一个。');
      return;
    }
    label(bot.engine.playbooks);
    tz = chats[0]!.playbook.timezone;
    await runConsole({ input: opts.input, print: write, chatLine, interactive: opts.interactive, screen, adapter, chats, clock, tick: bot.tick, botCommands: bot.engine.commands.specs.flatMap((c) => c.names) });
  } finally {
    await bot.stop();
  }
}

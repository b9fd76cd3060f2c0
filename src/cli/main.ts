import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkCommand } from './check.js';
import { detectCommand } from './detect.js';
import { faqCommand } from './faq.js';
import { followupsCommand } from './followups.js';
import { outboxCommand } from './outbox.js';
import { privacyCommand } from './privacy.js';
import { previewCommand } from './preview.js';
import type { CliIO, Command } from './command.js';
import { runCommand, type RunHosts } from './run.js';
import { reportCommand } from './report.js';
import { StoreOpenError } from '../store/errors.js';

function commands(hosts: RunHosts): Command[] {
  return [runCommand(hosts), checkCommand, previewCommand, followupsCommand, detectCommand, faqCommand, reportCommand, outboxCommand, privacyCommand];
}

function usage(list: Command[]): string {
  return ['用法：classbot <指令> [参数]', '', ...list.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`), '', '每个指令加 --help 查看详细用法。'].join('\n');
}

/** Loads `.env` from the working directory, without overriding variables already set. */
function loadDotEnv(io: CliIO): void {
  const file = resolve(io.cwd, '.env');
  if (existsSync(file) && io.env === process.env) process.loadEnvFile(file);
}

export async function main(argv: string[], io: CliIO, hosts: RunHosts): Promise<number> {
  loadDotEnv(io);
  const list = commands(hosts);
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage(list)}\n`);
    return name ? 0 : 2;
  }
  const cmd = list.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`不认识的指令：${name}\n\n${usage(list)}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${cmd.summary}\n\n${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(args, io);
  } catch (e) {
    // An unusable database file: what is wrong and what to do, not a stack trace.
    if (!(e instanceof StoreOpenError)) throw e;
    io.stderr.write(`${e.message}\n`);
    return 1;
  }
}

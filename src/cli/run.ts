import { resolve } from 'node:path';
import { NoPlaybooksError, startBot } from '../bot.js';
import { ConfigError } from '../config-error.js';
import { createLogger, type Logger } from '../log.js';
import type { Adapter } from '../model.js';
import type { CliIO, Command } from './command.js';
import { dbPathFrom, flag, option, playbookDirFrom } from './options.js';

/** What `run` needs from outside src/: the platform adapters and the console, which live in adapters/. */
export interface RunHosts {
  platformAdapters(env: NodeJS.ProcessEnv, log: Logger): Promise<Adapter[]>;
  runConsole(opts: {
    playbookDir: string;
    dbPath: string;
    log: Logger;
    input: CliIO['stdin'];
    output: CliIO['stdout'];
    interactive: boolean;
    now?: number;
  }): Promise<void>;
}

const USAGE = `classbot run [--console] [--playbooks 目录] [--db 文件] [--now 2026-11-23T18:00+08:00]
  配置了平台凭据（LARK_APP_ID、DINGTALK_CLIENT_ID、WECHATY_PUPPET）时连接这些平台；
  否则（或加 --console）在终端里模拟一个班级群。`;

export function runCommand(hosts: RunHosts): Command {
  return {
    name: 'run',
    summary: '启动机器人（未配置平台时进入本地控制台）',
    usage: USAGE,
    async run(args, io) {
      const interactive = Boolean((io.stdin as NodeJS.ReadStream).isTTY);
      const consoleMode = flag(args, 'console');
      const log = createLogger({
        level: io.env.LOG_LEVEL ?? (consoleMode ? 'warn' : 'info'),
        pretty: io.env.LOG_FORMAT !== 'json',
      });
      const playbookDir = resolve(io.cwd, option(args, 'playbooks') ?? playbookDirFrom(io.env));
      const dbPath = dbPathFrom(args, io.env, io.cwd);
      const nowArg = option(args, 'now') ?? io.env.CLASSBOT_NOW;
      const now = nowArg ? Date.parse(nowArg) : undefined;
      if (nowArg && Number.isNaN(now)) {
        io.stderr.write(`--now 的时间格式不对：${nowArg}（例如 2026-11-23T18:00+08:00）\n`);
        return 2;
      }
      try {
        const adapters = consoleMode ? [] : await hosts.platformAdapters(io.env, log);
        if (adapters.length === 0) {
          if (!consoleMode) log.level = io.env.LOG_LEVEL ?? 'warn';
          await hosts.runConsole({ playbookDir, dbPath, log, input: io.stdin, output: io.stdout, interactive, now });
          return 0;
        }
        const bot = await startBot({ playbookDir, dbPath, adapters, log, workDir: io.cwd });
        log.info({ platforms: adapters.map((a) => a.platform), playbooks: bot.engine.playbooks.map((p) => p.id) }, 'classbot running');
        await new Promise<void>((done) => {
          const stop = () => done();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        log.info('stopping');
        await bot.stop();
        return 0;
      } catch (e) {
        if (e instanceof ConfigError) {
          io.stderr.write(`配置有误：${e.message}\n`);
          return 2;
        }
        if (e instanceof NoPlaybooksError) {
          io.stderr.write(`${e.message}\n`);
          return 1;
        }
        throw e;
      }
    },
  };
}

import { resolve } from 'node:path';

/** `--name value` or `--name=value`; undefined when absent. */
export function option(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export function flag(args: string[], name: string): boolean {
  return args.includes(`--${name}`);
}

export function playbookDirFrom(env: NodeJS.ProcessEnv): string {
  return env.CLASSBOT_PLAYBOOKS ?? 'playbooks';
}

/** The database file: --db, then CLASSBOT_DB, then data/classbot.db. */
export function dbPathFrom(args: string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const p = option(args, 'db') ?? env.CLASSBOT_DB ?? 'data/classbot.db';
  return p === ':memory:' ? p : resolve(cwd, p);
}

import type { RunHosts } from '../src/cli/run.js';
import type { Logger } from '../src/log.js';
import type { Adapter } from '../src/model.js';
import { runConsoleBot } from './console/index.js';

type Factory = (env: NodeJS.ProcessEnv, log: Logger) => Promise<Adapter | null>;

/**
 * Platform adapters are imported only when their credentials are configured: the SDKs are heavy
 * (wechaty alone is hundreds of packages) and the console must start fast.
 */
const factories: { configured: (env: NodeJS.ProcessEnv) => boolean; load: () => Promise<Factory> }[] = [
  { configured: (env) => Boolean(env.LARK_APP_ID?.trim()), load: async () => (await import('./lark/index.js')).larkFromEnv },
  { configured: (env) => Boolean(env.DINGTALK_CLIENT_ID?.trim()), load: async () => (await import('./dingtalk/index.js')).dingtalkFromEnv },
  { configured: (env) => Boolean(env.WECHATY_PUPPET?.trim()), load: async () => (await import('./wechaty/index.js')).wechatyFromEnv },
];

async function platformAdapters(env: NodeJS.ProcessEnv, log: Logger): Promise<Adapter[]> {
  const out: Adapter[] = [];
  for (const f of factories) {
    if (!f.configured(env)) continue;
    const adapter = await (await f.load())(env, log);
    if (adapter) out.push(adapter);
  }
  return out;
}

export const hosts: RunHosts = {
  platformAdapters,
  runConsole: (opts) => runConsoleBot({ ...opts, input: opts.input, output: opts.output }),
};

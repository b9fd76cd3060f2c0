/** Lark (Feishu) adapter: `larkFromEnv` for the bot, `LarkAdapter` for explicit wiring and tests. */
import type { Logger } from '../../src/log.js';
import type { Adapter } from '../../src/model.js';
import { LarkAdapter } from './adapter.js';
import { larkConfigFromEnv } from './config.js';

export { LarkAdapter, type LarkAdapterOptions, type StatusListener } from './adapter.js';
export { larkConfigFromEnv, type LarkConfig } from './config.js';

const TRUE = /^(1|true|yes|on)$/i;

/**
 * The adapter configured by LARK_APP_ID, LARK_APP_SECRET, LARK_DOMAIN (feishu | lark | URL) and
 * LARK_SEES_ALL_GROUP_MESSAGES (set when the app holds "read all group messages"); null when
 * LARK_APP_ID is unset. Throws with a clear message when the configuration is wrong.
 */
export async function larkFromEnv(env: NodeJS.ProcessEnv, log: Logger): Promise<Adapter | null> {
  const config = larkConfigFromEnv(env);
  if (!config) return null;
  return new LarkAdapter({
    ...config,
    log: log.child({ platform: 'lark' }),
    seesAllGroupMessages: TRUE.test(env.LARK_SEES_ALL_GROUP_MESSAGES ?? ''),
  });
}

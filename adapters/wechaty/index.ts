/** WeChat through wechaty. Importing this module does not load wechaty: start() does. */
import type { Logger } from '../../src/log.js';
import type { Adapter } from '../../src/model.js';
import { WechatyAdapter } from './adapter.js';
import { wechatyConfigFromEnv } from './config.js';

export { WechatyAdapter, WECHATY_RATE_LIMITS, type WechatyAdapterOptions } from './adapter.js';
export { wechatyConfigFromEnv, type WechatyConfig } from './config.js';

/** Null when WECHATY_PUPPET is unset; throws a clear error when the configuration is incomplete. */
export async function wechatyFromEnv(env: NodeJS.ProcessEnv, log: Logger): Promise<Adapter | null> {
  const config = wechatyConfigFromEnv(env);
  if (!config) return null;
  return new WechatyAdapter({ ...config, log: log.child({ platform: 'wechaty' }) });
}

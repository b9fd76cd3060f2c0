import type { Logger } from '../../src/log.js';
import type { Adapter } from '../../src/model.js';
import { DingtalkAdapter } from './adapter.js';
import { dingtalkConfigFromEnv } from './config.js';

export { DingtalkAdapter, type DingtalkAdapterOptions } from './adapter.js';
export { dingtalkConfigFromEnv, type DingtalkConfig } from './config.js';

/** The DingTalk adapter configured from DINGTALK_* variables, or null when DINGTALK_CLIENT_ID is unset. */
export async function dingtalkFromEnv(env: NodeJS.ProcessEnv, log: Logger): Promise<Adapter | null> {
  const config = dingtalkConfigFromEnv(env);
  if (!config) return null;
  log.info({ robotCode: config.robotCode, apiBaseUrl: config.apiBaseUrl }, 'dingtalk: configured');
  return new DingtalkAdapter({ ...config, log });
}

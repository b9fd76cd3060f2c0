import { ConfigError } from '../../src/config-error.js';
/** WeChat (wechaty) settings read from the environment. The token stays in the environment. */

export interface WechatyConfig {
  /** npm name of the puppet wechaty loads (WECHATY_PUPPET), e.g. wechaty-puppet-service. */
  puppet: string;
  /** Puppet token (WECHATY_PUPPET_SERVICE_TOKEN): service puppets and padlocal need one. */
  token?: string;
  /** Self-hosted puppet gateway address (WECHATY_PUPPET_SERVICE_ENDPOINT), skipping token discovery. */
  endpoint?: string;
  /**
   * wechaty's memory card (WECHATY_NAME): the file `<name>.memory-card.json` keeps the login
   * session so a restart does not always need a new QR scan. Relative to the working directory.
   */
  sessionName: string;
}

export const DEFAULT_SESSION_NAME = 'data/wechaty';

// wechaty resolves the puppet with import(name): accept only names that can be a puppet package.
const PUPPET_NAME = /^(@[a-z0-9][\w.-]*\/)?wechaty-puppet-[a-z0-9][\w.-]*$/;

// Puppets that cannot start without a token; failing here beats a gRPC error after a minute.
const NEEDS_TOKEN = new Set(['wechaty-puppet-service', 'wechaty-puppet-padlocal']);

/** Null when WECHATY_PUPPET is unset (WeChat not configured); throws with a clear message when misconfigured. */
export function wechatyConfigFromEnv(env: NodeJS.ProcessEnv): WechatyConfig | null {
  const puppet = env.WECHATY_PUPPET?.trim();
  if (!puppet) return null;
  if (!PUPPET_NAME.test(puppet)) {
    throw new ConfigError(
      `WECHATY_PUPPET 应为 wechaty puppet 的 npm 包名（如 wechaty-puppet-service、wechaty-puppet-wechat4u），实际为 "${puppet}"`,
    );
  }
  const token = env.WECHATY_PUPPET_SERVICE_TOKEN?.trim();
  const endpoint = env.WECHATY_PUPPET_SERVICE_ENDPOINT?.trim();
  if (NEEDS_TOKEN.has(puppet) && !token) {
    throw new ConfigError(`WECHATY_PUPPET=${puppet} 需要 token：请设置 WECHATY_PUPPET_SERVICE_TOKEN（向 puppet 服务商获取）`);
  }
  return {
    puppet,
    ...(token ? { token } : {}),
    ...(endpoint ? { endpoint } : {}),
    sessionName: env.WECHATY_NAME?.trim() || DEFAULT_SESSION_NAME,
  };
}

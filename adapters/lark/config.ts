import { ConfigError } from '../../src/config-error.js';
/** Lark adapter settings read from the environment. Secrets stay in the environment. */

export interface LarkConfig {
  appId: string;
  appSecret: string;
  /** Base URL of the open platform: Feishu, Lark, or a private deployment. */
  domain: string;
}

export const FEISHU_DOMAIN = 'https://open.feishu.cn';
export const LARK_DOMAIN = 'https://open.larksuite.com';

// The SDK's WSClient silently refuses to start with any other app id shape.
const APP_ID = /^cli_[0-9a-fA-F]{16}$/;

export function checkAppId(appId: string): void {
  if (!APP_ID.test(appId)) {
    throw new ConfigError(`LARK_APP_ID 格式不对：应为 cli_ 加 16 位十六进制字符（在开发者后台“凭证与基础信息”中查看），实际为 "${appId}"`);
  }
}

/** Null when LARK_APP_ID is unset (Lark not configured); throws with a clear message when misconfigured. */
export function larkConfigFromEnv(env: NodeJS.ProcessEnv): LarkConfig | null {
  const appId = env.LARK_APP_ID?.trim();
  if (!appId) return null;
  checkAppId(appId);
  const appSecret = env.LARK_APP_SECRET?.trim();
  if (!appSecret) throw new ConfigError('已设置 LARK_APP_ID，但缺少 LARK_APP_SECRET');
  return { appId, appSecret, domain: resolveDomain(env.LARK_DOMAIN) };
}

/** `feishu` (default), `lark`, or the http(s) base URL of a private deployment. */
export function resolveDomain(value: string | undefined): string {
  const v = value?.trim() ?? '';
  if (v === '' || v.toLowerCase() === 'feishu') return FEISHU_DOMAIN;
  if (v.toLowerCase() === 'lark') return LARK_DOMAIN;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError(`LARK_DOMAIN 无法识别："${v}"。可填 feishu、lark，或私有化部署的地址（如 https://open.example.com）`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`LARK_DOMAIN 必须是 http(s) 地址，实际为 "${v}"`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

import { ConfigError } from '../../src/config-error.js';
/** DingTalk settings, read from the environment (secrets never come from files in the repo). */
export interface DingtalkConfig {
  /** AppKey of the DingTalk app that owns the robot (DINGTALK_CLIENT_ID). */
  clientId: string;
  /** AppSecret (DINGTALK_CLIENT_SECRET). */
  clientSecret: string;
  /** The robot's code (DINGTALK_ROBOT_CODE); for an internal-app robot it is usually the AppKey. */
  robotCode: string;
  /** Open API base, e.g. https://api.dingtalk.com (DINGTALK_API_BASE). */
  apiBaseUrl: string;
  /** Stream gateway "open connection" URL (DINGTALK_GATEWAY_URL, default derived from the API base). */
  gatewayUrl: string;
  /**
   * The robot's display name (DINGTALK_ROBOT_NAME); when set, a literal "@name" is removed from
   * texts too. Optional: the adapter learns it from a rich text that @-s the robot alone.
   */
  robotName?: string;
  /**
   * Interactive card template for staff alerts with buttons (DINGTALK_CARD_TEMPLATE_ID, from the
   * card platform, linked to this app). Without it, buttons are written out as commands to send.
   */
  cardTemplateId?: string;
}

export const DEFAULT_API_BASE = 'https://api.dingtalk.com';
const GATEWAY_PATH = '/v1.0/gateway/connections/open';

export function gatewayUrlFor(apiBaseUrl: string): string {
  return apiBaseUrl.replace(/\/+$/, '') + GATEWAY_PATH;
}

/** Null when DingTalk is not configured (DINGTALK_CLIENT_ID unset); throws a clear error when half-configured. */
export function dingtalkConfigFromEnv(env: NodeJS.ProcessEnv): DingtalkConfig | null {
  const clientId = env.DINGTALK_CLIENT_ID?.trim();
  if (!clientId) return null;
  const missing = ['DINGTALK_CLIENT_SECRET', 'DINGTALK_ROBOT_CODE'].filter((k) => !env[k]?.trim());
  if (missing.length > 0) {
    throw new ConfigError(`钉钉配置不完整：已设置 DINGTALK_CLIENT_ID，但缺少 ${missing.join('、')}。`);
  }
  const apiBaseUrl = parseUrl('DINGTALK_API_BASE', env.DINGTALK_API_BASE?.trim() || DEFAULT_API_BASE);
  const gatewayUrl = env.DINGTALK_GATEWAY_URL?.trim()
    ? parseUrl('DINGTALK_GATEWAY_URL', env.DINGTALK_GATEWAY_URL.trim())
    : gatewayUrlFor(apiBaseUrl);
  const robotName = env.DINGTALK_ROBOT_NAME?.trim();
  const cardTemplateId = env.DINGTALK_CARD_TEMPLATE_ID?.trim();
  return {
    clientId,
    clientSecret: env.DINGTALK_CLIENT_SECRET!.trim(),
    robotCode: env.DINGTALK_ROBOT_CODE!.trim(),
    apiBaseUrl,
    gatewayUrl,
    ...(robotName ? { robotName } : {}),
    ...(cardTemplateId ? { cardTemplateId } : {}),
  };
}

function parseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} 不是有效的网址：${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} 必须以 http:// 或 https:// 开头：${value}`);
  }
  return value.replace(/\/+$/, '');
}

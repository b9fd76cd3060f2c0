import type { Clock } from '../../src/clock.js';
import { SendError } from '../../src/model.js';

/** What the robot send APIs take: a message template key and its parameters. */
export interface RobotPayload {
  msgKey: 'sampleText' | 'sampleMarkdown';
  msgParam: Record<string, string>;
}

export interface DingtalkApiOptions {
  /** e.g. https://api.dingtalk.com; tests point it at a fake on 127.0.0.1. */
  baseUrl: string;
  appKey: string;
  appSecret: string;
  robotCode: string;
  clock: Clock;
  timeoutMs?: number;
}

/** Refresh this long before DingTalk says the token expires (or at half its life if that is shorter). */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** DingTalk blocks a robot for 10 minutes in a group after "send too fast" (130101). */
const SEND_TOO_FAST_BLOCK_MS = 10 * 60_000;
const THROTTLE_CODE = /qps|flowcontrol|throttl|ratelimit|toofrequent|too_frequent/i;
/** A free organisation's monthly OpenAPI call quota is used up (v1.0 APIs: the code; older APIs: errcode 90020). */
const QUOTA_CODE = 'Forbidden.AccessDenied.ApiCountLimitForOrg';
const QUOTA_ERRCODE = 90020;
/** "Send too fast": more than 20 messages a minute to one group. */
const SEND_TOO_FAST = 130101;
const GROUPS_PAGE_SIZE = 100;

interface HttpAnswer {
  status: number;
  body: unknown;
  retryAfterMs?: number;
}

/**
 * Our small client for the DingTalk open API (the SDK's own token helper uses a fixed legacy host).
 * Every failure is a SendError: retryable for throttling, 5xx and network errors, permanent otherwise.
 */
export class DingtalkApi {
  private token?: { value: string; refreshAt: number };
  private tokenRequest?: Promise<string>;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: DingtalkApiOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** A cached access token, fetched again shortly before it expires; concurrent callers share one request. */
  async accessToken(): Promise<string> {
    if (this.token && this.opts.clock.now() < this.token.refreshAt) return this.token.value;
    this.tokenRequest ??= this.fetchToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  /** Proactive message to a group the robot is in; resolves to DingTalk's processQueryKey (if any). */
  async sendToGroup(openConversationId: string, payload: RobotPayload): Promise<string[]> {
    const body = await this.callWithToken('/v1.0/robot/groupMessages/send', {
      robotCode: this.opts.robotCode,
      openConversationId,
      msgKey: payload.msgKey,
      msgParam: JSON.stringify(payload.msgParam),
    });
    return queryKey(body);
  }

  /** One-to-one message from the robot to a member of the organisation, by staff id. */
  async sendToUser(staffId: string, payload: RobotPayload): Promise<string[]> {
    const body = await this.callWithToken('/v1.0/robot/oToMessages/batchSend', {
      robotCode: this.opts.robotCode,
      userIds: [staffId],
      msgKey: payload.msgKey,
      msgParam: JSON.stringify(payload.msgParam),
    });
    if (listField(body, 'invalidStaffIdList').includes(staffId)) {
      throw new SendError(`dingtalk: ${staffId} is not a staff id the robot can message`, false);
    }
    if (listField(body, 'flowControlledStaffIdList').includes(staffId)) {
      throw new SendError(`dingtalk: one-to-one messages to ${staffId} are flow-controlled`, true);
    }
    return queryKey(body);
  }

  /**
   * Creates an interactive card in a group and delivers it, @-ing `atUsers` (staff id → name);
   * presses come back on the Stream card callback topic.
   */
  async deliverGroupCard(card: { templateId: string; outTrackId: string; openConversationId: string; params: Record<string, string>; atUsers: Record<string, string> }): Promise<void> {
    const body = await this.callWithToken('/v1.0/card/instances/createAndDeliver', {
      cardTemplateId: card.templateId,
      outTrackId: card.outTrackId,
      callbackType: 'STREAM',
      cardData: { cardParamMap: card.params },
      openSpaceId: `dtv1.card//IM_GROUP.${card.openConversationId}`,
      // Staff ids, in atUserIds and in the press callbacks' userId.
      userIdType: 1,
      // A staff alert names a parent and a worry: it stays in the staff group.
      imGroupOpenSpaceModel: { supportForward: false },
      imGroupOpenDeliverModel: { robotCode: this.opts.robotCode, atUserIds: card.atUsers },
    });
    const results = listField(field(body, 'result'), 'deliverResults');
    const failed = results.find((r) => field(r, 'success') === false);
    if (failed) throw new SendError(`dingtalk: card not delivered (${String(field(failed, 'errorMsg') ?? '')})`, false);
  }

  /** Replaces the parameters of a card the robot delivered. */
  async updateCard(outTrackId: string, params: Record<string, string>): Promise<void> {
    await this.callWithToken('/v1.0/card/instances', { outTrackId, cardData: { cardParamMap: params } }, 'PUT');
  }

  /** Every group the robot is in (openConversationIds), page by page. */
  async robotGroups(): Promise<string[]> {
    const ids: string[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const body = await this.callWithToken('/v1.0/robot/groups/query', {
        robotCode: this.opts.robotCode,
        pageNumber,
        pageSize: GROUPS_PAGE_SIZE,
      });
      const page = listField(body, 'openConversationIds').filter((id): id is string => typeof id === 'string' && id !== '');
      ids.push(...page);
      if (field(body, 'hasMore') !== true || page.length === 0) return ids;
    }
  }

  /**
   * A group's title. Read as `title` (or `name`), at the top or under `result`: the answer's
   * shape is not in the documentation we have, and a group with no readable title binds nothing.
   */
  async groupTitle(openConversationId: string): Promise<string> {
    const body = await this.callWithToken('/v1.0/im/groups/baseInfos/query', { openConversationId });
    const info = field(body, 'result') ?? body;
    const title = field(info, 'title') ?? field(info, 'name');
    return typeof title === 'string' ? title : '';
  }

  /** Who has read one of the robot's group messages (by its processQueryKey), all pages. */
  async readUserIds(openConversationId: string, processQueryKey: string): Promise<string[]> {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const body = await this.callWithToken('/v1.0/robot/groupMessages/query', {
        openConversationId,
        robotCode: this.opts.robotCode,
        processQueryKey,
        ...(nextToken ? { nextToken } : {}),
      });
      ids.push(...listField(body, 'readUserIds').filter((id): id is string => typeof id === 'string'));
      const next = field(body, 'nextToken');
      nextToken = field(body, 'hasMore') === true && typeof next === 'string' && next ? next : undefined;
    } while (nextToken);
    return ids;
  }

  /** A DING (app reminder, remindType 1) to staff members. */
  async ding(staffIds: string[], content: string): Promise<void> {
    await this.callWithToken('/v1.0/robot/ding/send', {
      robotCode: this.opts.robotCode,
      remindType: 1,
      receiverUserIdList: staffIds,
      content,
    });
  }

  /** Reply through a conversation's session webhook (no token needed; it expires by itself). */
  async postSessionWebhook(url: string, message: object): Promise<void> {
    const answer = await this.post(url, message, {});
    if (answer.status !== 200) throw httpError('session webhook', answer);
    const errcode = numberField(answer.body, 'errcode') ?? 0;
    if (errcode === 0) return;
    const errmsg = String(field(answer.body, 'errmsg') ?? '');
    if (errcode === SEND_TOO_FAST) {
      throw new SendError(`dingtalk: send too fast (130101 ${errmsg})`, true, SEND_TOO_FAST_BLOCK_MS);
    }
    // -1 is DingTalk's "system busy".
    throw new SendError(`dingtalk: session webhook refused (${errcode} ${errmsg})`, errcode === -1);
  }

  private async fetchToken(): Promise<string> {
    const answer = await this.post(this.baseUrl + '/v1.0/oauth2/accessToken', {
      appKey: this.opts.appKey,
      appSecret: this.opts.appSecret,
    }, {});
    if (answer.status !== 200 || quotaUsedUp(answer)) throw httpError('access token', answer);
    const value = field(answer.body, 'accessToken');
    if (typeof value !== 'string' || !value) throw new SendError('dingtalk: access token answer without accessToken', false);
    const ttlMs = (numberField(answer.body, 'expireIn') ?? 7200) * 1000;
    const margin = Math.min(TOKEN_REFRESH_MARGIN_MS, ttlMs / 2);
    this.token = { value, refreshAt: this.opts.clock.now() + ttlMs - margin };
    return value;
  }

  private async callWithToken(path: string, body: object, method: 'POST' | 'PUT' = 'POST'): Promise<unknown> {
    const token = await this.accessToken();
    const answer = await this.post(this.baseUrl + path, body, { 'x-acs-dingtalk-access-token': token }, method);
    if (answer.status === 200 && !quotaUsedUp(answer)) return answer.body;
    // A token revoked early (secret rotated, another process refreshed it): fetch a new one on retry.
    if (answer.status === 401) this.token = undefined;
    throw httpError(path, answer);
  }

  private async post(url: string, body: object, headers: Record<string, string>, method: 'POST' | 'PUT' = 'POST'): Promise<HttpAnswer> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new SendError(`dingtalk: network error (${(err as Error).message})`, true);
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Keep the raw text for the error message.
    }
    const retryAfterS = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      body: parsed,
      ...(retryAfterS > 0 ? { retryAfterMs: retryAfterS * 1000 } : {}),
    };
  }
}

function quotaUsedUp(answer: HttpAnswer): boolean {
  return field(answer.body, 'code') === QUOTA_CODE || numberField(answer.body, 'errcode') === QUOTA_ERRCODE;
}

/**
 * Maps a refused call to a SendError: 401, 429, 5xx and throttling codes are worth retrying;
 * "send too fast" after the group's 10-minute block; a used-up monthly quota blocks every
 * OpenAPI call. Its `untilMs` stays unset: the quota comes back on the 1st of the month, or
 * as soon as the organisation upgrades or buys calls, so the outbox probes now and then.
 */
function httpError(what: string, answer: HttpAnswer): SendError {
  const code = String(field(answer.body, 'code') ?? field(answer.body, 'errcode') ?? '');
  const text = typeof answer.body === 'string' ? answer.body.slice(0, 200) : String(field(answer.body, 'message') ?? field(answer.body, 'errmsg') ?? '');
  const message = `dingtalk: ${what} failed: HTTP ${answer.status} ${code} ${text}`.trim();
  if (quotaUsedUp(answer)) return new SendError(message, false, undefined, { reason: 'dingtalk-quota' });
  if (code === String(SEND_TOO_FAST)) return new SendError(message, true, SEND_TOO_FAST_BLOCK_MS);
  const retryable = answer.status === 401 || answer.status === 429 || answer.status >= 500 || THROTTLE_CODE.test(code);
  return new SendError(message, retryable, answer.retryAfterMs);
}

function field(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
}

function numberField(body: unknown, key: string): number | undefined {
  const value = field(body, key);
  return typeof value === 'number' ? value : undefined;
}

function listField(body: unknown, key: string): unknown[] {
  const value = field(body, key);
  return Array.isArray(value) ? value : [];
}

/** DingTalk's id for an accepted send, when it gives one (the message went out either way). */
function queryKey(body: unknown): string[] {
  const value = field(body, 'processQueryKey');
  return typeof value === 'string' && value ? [value] : [];
}

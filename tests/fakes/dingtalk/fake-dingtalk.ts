/**
 * A fake DingTalk for tests, on 127.0.0.1: the Stream gateway ("open connection"), the websocket
 * with JSON frames (system pings, robot callbacks, card presses, the client's acks), session
 * webhooks, the access-token endpoint, the robot send APIs, interactive cards, the robot's group
 * list, read receipts and DING. Every HTTP request and client frame is recorded.
 *
 * Limits as documented: 20 messages a minute per group (webhooks and APIs alike; "send too fast"
 * 130101), about 20 OpenAPI calls a second per app (a standard organisation), and a switch for a
 * used-up monthly call quota (Forbidden.AccessDenied.ApiCountLimitForOrg, or errcode 90020 as
 * older APIs answer). The exact code of the two rate errors is not in the docs we have: the
 * fake uses 130101 for the group and Forbidden.AccessDenied.QpsLimitForApi for the app.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get';
export const GATEWAY_PATH = '/v1.0/gateway/connections/open';
export const TOKEN_PATH = '/v1.0/oauth2/accessToken';
export const GROUP_SEND_PATH = '/v1.0/robot/groupMessages/send';
export const DM_SEND_PATH = '/v1.0/robot/oToMessages/batchSend';
export const WEBHOOK_PATH = '/robot/sendBySession';
export const CARD_TOPIC = '/v1.0/card/instances/callback';
export const CARD_DELIVER_PATH = '/v1.0/card/instances/createAndDeliver';
export const CARD_UPDATE_PATH = '/v1.0/card/instances';
export const GROUPS_QUERY_PATH = '/v1.0/robot/groups/query';
export const GROUP_INFO_PATH = '/v1.0/im/groups/baseInfos/query';
export const READ_QUERY_PATH = '/v1.0/robot/groupMessages/query';
export const DING_PATH = '/v1.0/robot/ding/send';

const GROUP_LIMIT = { max: 20, windowMs: 60_000 };
const APP_QPS = { max: 20, windowMs: 1000 };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A frame the client sent on the websocket (acks and ping echoes). */
export interface ClientFrame {
  code?: number;
  headers: Record<string, string>;
  message?: string;
  data?: string;
}

export interface CannedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What a chat member would see, whichever road the message took. */
export interface Delivery {
  route: 'webhook' | 'group-api' | 'dm-api' | 'card';
  conversationId?: string;
  userIds?: string[];
  msgtype: 'text' | 'markdown';
  text: string;
  title?: string;
  atUserIds: string[];
  isAtAll: boolean;
  /** When the fake accepted it, on the fake's clock. */
  at: number;
}

/** An interactive card as the group sees it now. */
export interface FakeCard {
  outTrackId: string;
  templateId: string;
  conversationId: string;
  params: Record<string, string>;
  /** Staff id → name, @-ed when it was delivered. */
  atUserIds: Record<string, string>;
  callbackType: string;
  /** Parameters of each update, in order. */
  updates: Record<string, string>[];
}

export interface Ding {
  remindType: number;
  receiverUserIdList: string[];
  content: string;
  at: number;
}

/** How the monthly OpenAPI quota answers: 'ok', or used up in the v1.0 or the older errcode form. */
export type QuotaState = 'ok' | 'used-up' | 'used-up-legacy';

export interface FakeDingtalkOptions {
  clientId?: string;
  clientSecret?: string;
  robotCode?: string;
  tokenTtlSeconds?: number;
  /** Time as the fake sees it (session webhook expiry); share the test's clock. */
  now?: () => number;
}

export interface RobotMessageOptions {
  /** '2' group (default) or '1' one-to-one. */
  conversationType?: '1' | '2';
  conversationId?: string;
  conversationTitle?: string;
  msgId?: string;
  senderStaffId?: string;
  senderId?: string;
  senderNick?: string;
  /** text.content exactly as DingTalk sends it (it removes the robot's own @name). */
  content: string;
  isInAtList?: boolean;
  /** Other people @-ed (the robot is added when isInAtList). */
  atUsers?: { dingtalkId: string; staffId?: string }[];
  /** Expiry of the session webhook issued with the message; default one and a half hours ahead. */
  webhookExpiresAt?: number;
  createAt?: number;
}

interface Waiter {
  match(frame: ClientFrame): boolean;
  resolve(frame: ClientFrame): void;
}

export class FakeDingtalk {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly robotCode: string;
  readonly chatbotUserId = '$:LWCP_v1:$robot';
  readonly requests: RecordedRequest[] = [];
  readonly clientFrames: ClientFrame[] = [];
  readonly deliveries: Delivery[] = [];
  readonly cards = new Map<string, FakeCard>();
  readonly dings: Ding[] = [];
  /** Groups the robot is in: openConversationId → title (for the group list and baseInfos). */
  readonly groups = new Map<string, string>();
  /** processQueryKey → staff ids who have read that message. */
  readonly readers = new Map<string, string[]>();
  /** Set to 'used-up' to answer every OpenAPI call (not the Stream gateway or webhooks) as out of quota. */
  quota: QuotaState = 'ok';
  /** Subscriptions of the last "open connection" request; the gateway pushes these topics only. */
  subscriptions: { type: string; topic: string }[] = [];
  /** Calls refused by a rate limit (a client that paces right causes none). */
  readonly rateRefusals: { path: string; limit: 'group' | 'app'; at: number }[] = [];
  /** Websocket connections accepted so far. */
  connections = 0;
  /** Every access token, connection ticket and session webhook handed out (secrets a log must never show). */
  readonly issuedTokens: string[] = [];
  readonly issuedTickets: string[] = [];
  readonly issuedWebhooks: string[] = [];

  private readonly now: () => number;
  private readonly tokenTtlSeconds: number;
  private readonly tickets = new Set<string>();
  private readonly tokens = new Set<string>();
  private readonly sessions = new Map<string, { conversationId: string; isGroup: boolean; expiresAt: number }>();
  private readonly canned = new Map<string, CannedAnswer[]>();
  private readonly waiters: Waiter[] = [];
  private readonly connectionWaiters: (() => void)[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket?: WebSocket;
  private seq = 0;
  private upgradesToRefuse = 0;
  private readonly groupSends = new Map<string, number[]>();
  private readonly appCalls: number[] = [];

  private constructor(private readonly server: Server, opts: FakeDingtalkOptions) {
    this.clientId = opts.clientId ?? 'dingtestclientid';
    this.clientSecret = opts.clientSecret ?? 'test-secret';
    this.robotCode = opts.robotCode ?? this.clientId;
    this.tokenTtlSeconds = opts.tokenTtlSeconds ?? 7200;
    this.now = opts.now ?? Date.now;
  }

  static async start(opts: FakeDingtalkOptions = {}): Promise<FakeDingtalk> {
    const server = createServer();
    const fake = new FakeDingtalk(server, opts);
    server.on('request', (req, res) => void fake.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => fake.onUpgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get gatewayUrl(): string {
    return this.baseUrl + GATEWAY_PATH;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** The next requests to `path` get these answers, in order, instead of the normal ones. */
  answerNext(path: string, ...answers: CannedAnswer[]): void {
    this.canned.set(path, [...(this.canned.get(path) ?? []), ...answers]);
  }

  /** The next `n` websocket handshakes fail with 401 (as when a ticket has expired). */
  refuseNextHandshakes(n: number): void {
    this.upgradesToRefuse = n;
  }

  /** Every token issued so far stops working (as when the secret is rotated). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** A robot callback payload as DingTalk sends it, with a fresh session webhook. */
  robotMessage(o: RobotMessageOptions): Record<string, unknown> {
    const isGroup = (o.conversationType ?? '2') === '2';
    const conversationId = o.conversationId ?? (isGroup ? 'cidGroup1' : 'cidDirect1');
    const createAt = o.createAt ?? this.now();
    const expiresAt = o.webhookExpiresAt ?? createAt + 90 * 60_000;
    const isInAtList = o.isInAtList ?? isGroup;
    const atUsers = [...(isInAtList && isGroup ? [{ dingtalkId: this.chatbotUserId }] : []), ...(o.atUsers ?? [])];
    return {
      conversationId,
      conversationType: isGroup ? '2' : '1',
      ...(isGroup ? { conversationTitle: o.conversationTitle ?? '三年二班家长群' } : {}),
      atUsers,
      chatbotCorpId: 'dingcorp',
      chatbotUserId: this.chatbotUserId,
      msgId: o.msgId ?? `msg${++this.seq}`,
      senderNick: o.senderNick ?? '王妈妈',
      isAdmin: false,
      ...(o.senderStaffId !== undefined ? { senderStaffId: o.senderStaffId } : {}),
      senderId: o.senderId ?? '$:LWCP_v1:$parent1',
      senderCorpId: 'dingcorp',
      sessionWebhookExpiredTime: expiresAt,
      sessionWebhook: this.issueSessionWebhook(conversationId, isGroup, expiresAt),
      createAt,
      isInAtList,
      robotCode: this.robotCode,
      msgtype: 'text',
      text: { content: o.content },
    };
  }

  /** Pushes a robot callback frame; resolves with the client's ack of it. */
  pushRobotMessage(data: Record<string, unknown>, messageId = `frame-${randomUUID()}`): Promise<ClientFrame> {
    return this.pushFrame({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: this.frameHeaders(messageId, ROBOT_TOPIC),
      data: JSON.stringify(data),
    });
  }

  /** A press on a card's button as the Stream gateway pushes it; resolves with the client's ack. */
  pushCardPress(
    o: { outTrackId: string; userId: string; params: Record<string, unknown>; spaceId?: string; spaceType?: string },
    messageId = `frame-${randomUUID()}`,
  ): Promise<ClientFrame> {
    const card = this.cards.get(o.outTrackId);
    const data = {
      type: 'actionCallback',
      outTrackId: o.outTrackId,
      corpId: 'dingcorp',
      userId: o.userId,
      userIdType: 1,
      spaceType: o.spaceType ?? 'IM_GROUP',
      spaceId: o.spaceId ?? card?.conversationId ?? '',
      content: JSON.stringify({ cardPrivateData: { actionIds: ['command'], params: o.params } }),
      extension: '{}',
    };
    return this.pushFrame({ specVersion: '1.0', type: 'CALLBACK', headers: this.frameHeaders(messageId, CARD_TOPIC), data: JSON.stringify(data) });
  }

  /** Pushes raw text on the socket (a malformed frame). */
  pushRaw(text: string): void {
    this.requireSocket().send(text);
  }

  /** A system ping; resolves with the client's echo. */
  ping(): Promise<ClientFrame> {
    const messageId = `ping-${randomUUID()}`;
    return this.pushFrame({
      specVersion: '1.0',
      type: 'SYSTEM',
      headers: this.frameHeaders(messageId, 'ping'),
      data: JSON.stringify({ opaque: messageId }),
    });
  }

  /** Resolves when the next websocket connection is accepted. */
  nextConnection(): Promise<void> {
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /** Kills the current websocket without a close handshake, as a network failure would. */
  dropConnection(): void {
    this.requireSocket().terminate();
    this.socket = undefined;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private frameHeaders(messageId: string, topic: string): Record<string, string> {
    return {
      appId: this.clientId,
      connectionId: 'conn-1',
      contentType: 'application/json',
      messageId,
      time: String(this.now()),
      topic,
    };
  }

  private pushFrame(frame: { headers: Record<string, string> } & Record<string, unknown>): Promise<ClientFrame> {
    const socket = this.requireSocket();
    if (frame.type === 'CALLBACK' && !this.subscriptions.some((s) => s.type === 'CALLBACK' && s.topic === frame.headers.topic)) {
      throw new Error(`fake dingtalk: the client did not subscribe to ${frame.headers.topic}`);
    }
    const reply = new Promise<ClientFrame>((resolve) => {
      this.waiters.push({ match: (f) => f.headers?.messageId === frame.headers.messageId, resolve });
    });
    socket.send(JSON.stringify(frame));
    return reply;
  }

  private requireSocket(): WebSocket {
    if (!this.socket) throw new Error('fake dingtalk: no client connected');
    return this.socket;
  }

  private issueSessionWebhook(conversationId: string, isGroup: boolean, expiresAt: number): string {
    const session = randomUUID();
    this.sessions.set(session, { conversationId, isGroup, expiresAt });
    const url = `${this.baseUrl}${WEBHOOK_PATH}?session=${session}`;
    this.issuedWebhooks.push(url);
    return url;
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const ticket = url.searchParams.get('ticket') ?? '';
    const refuse = this.upgradesToRefuse > 0;
    if (refuse) this.upgradesToRefuse -= 1;
    if (url.pathname !== '/connect' || !this.tickets.delete(ticket) || refuse) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.socket = ws;
      this.connections += 1;
      ws.on('message', (raw) => this.onClientFrame(String(raw)));
      for (const resolve of this.connectionWaiters.splice(0)) resolve();
    });
  }

  private onClientFrame(text: string): void {
    const frame = JSON.parse(text) as ClientFrame;
    this.clientFrames.push(frame);
    const i = this.waiters.findIndex((w) => w.match(frame));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(frame);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // Recorded as text.
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    };
    this.requests.push(request);
    const canned = this.canned.get(url.pathname)?.shift();
    const answer = canned ?? this.limited(request) ?? this.answer(request);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  private answer(r: RecordedRequest): CannedAnswer {
    const body = (r.body ?? {}) as Record<string, unknown>;
    switch (r.path) {
      case GATEWAY_PATH: {
        if (body.clientId !== this.clientId || body.clientSecret !== this.clientSecret) {
          return { status: 401, body: { code: 'InvalidAuthentication', message: '身份验证失败' } };
        }
        const ticket = randomUUID();
        this.subscriptions = Array.isArray(body.subscriptions) ? (body.subscriptions as { type: string; topic: string }[]) : [];
        this.tickets.add(ticket);
        this.issuedTickets.push(ticket);
        return { status: 200, body: { endpoint: `ws://127.0.0.1:${new URL(this.baseUrl).port}/connect`, ticket } };
      }
      case TOKEN_PATH: {
        if (body.appKey !== this.clientId || body.appSecret !== this.clientSecret) {
          return { status: 400, body: { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' } };
        }
        const token = `token-${randomUUID()}`;
        this.tokens.add(token);
        this.issuedTokens.push(token);
        return { status: 200, body: { accessToken: token, expireIn: this.tokenTtlSeconds } };
      }
      case GROUP_SEND_PATH:
      case DM_SEND_PATH:
        return this.robotSend(r, body);
      case WEBHOOK_PATH:
        return this.webhookSend(r, body);
      case CARD_DELIVER_PATH:
        return this.withToken(r, () => this.deliverCard(body));
      case CARD_UPDATE_PATH:
        return this.withToken(r, () => this.updateCard(r, body));
      case GROUPS_QUERY_PATH:
        return this.withToken(r, () => this.groupList(body));
      case GROUP_INFO_PATH:
        return this.withToken(r, () => {
          const id = String(body.openConversationId ?? '');
          const name = this.groups.get(id);
          return name === undefined
            ? { status: 400, body: { code: 'invalidParameter.openConversationId', message: id } }
            : { status: 200, body: { success: true, result: { openConversationId: id, title: name, memberCount: 40 } } };
        });
      case READ_QUERY_PATH:
        return this.withToken(r, () => this.readReceipts(body));
      case DING_PATH:
        return this.withToken(r, () => {
          if (body.robotCode !== this.robotCode || !Array.isArray(body.receiverUserIdList)) {
            return { status: 400, body: { code: 'InvalidParameter', message: 'robotCode or receiverUserIdList' } };
          }
          this.dings.push({ remindType: Number(body.remindType), receiverUserIdList: body.receiverUserIdList as string[], content: String(body.content ?? ''), at: this.now() });
          return { status: 200, body: { openDingId: `ding-${this.dings.length}` } };
        });
      default:
        return { status: 404, body: { code: 'NotFound', message: r.path } };
    }
  }

  /**
   * The quota and rate limits, checked before any answer: the quota refuses every OpenAPI call;
   * the app budget counts the calls that are not the token (cached, rarely asked for); a group's
   * budget counts the messages that reach it by any road.
   */
  private limited(r: RecordedRequest): CannedAnswer | undefined {
    const openApi = r.path.startsWith('/v1.0/') && r.path !== GATEWAY_PATH;
    if (openApi && this.quota === 'used-up') {
      return { status: 403, body: { code: 'Forbidden.AccessDenied.ApiCountLimitForOrg', message: '企业调用接口次数已达上限' } };
    }
    if (openApi && this.quota === 'used-up-legacy') {
      return { status: 200, body: { errcode: 90020, errmsg: '企业调用接口次数已达上限' } };
    }
    const now = this.now();
    if (openApi && r.path !== TOKEN_PATH) {
      if (!withinBudget(this.appCalls, APP_QPS, now)) {
        this.rateRefusals.push({ path: r.path, limit: 'app', at: now });
        return { status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: 'app qps limit' }, headers: { 'retry-after': '1' } };
      }
      this.appCalls.push(now);
    }
    const group = this.groupOfSend(r);
    if (group !== undefined) {
      const sends = this.groupSends.get(group) ?? [];
      if (!withinBudget(sends, GROUP_LIMIT, now)) {
        this.rateRefusals.push({ path: r.path, limit: 'group', at: now });
        return r.path === WEBHOOK_PATH
          ? { status: 200, body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } }
          : { status: 400, body: { code: '130101', message: 'send too fast, exceed 20 times per minute' } };
      }
      this.groupSends.set(group, [...sends, now]);
    }
    return undefined;
  }

  /** The group a message-sending request goes to, if it does. */
  private groupOfSend(r: RecordedRequest): string | undefined {
    const body = (r.body ?? {}) as Record<string, unknown>;
    if (r.path === GROUP_SEND_PATH) return String(body.openConversationId ?? '');
    if (r.path === CARD_DELIVER_PATH) return String(body.openSpaceId ?? '').replace(/^dtv1\.card\/\/IM_GROUP\./, '');
    if (r.path === WEBHOOK_PATH) {
      const session = this.sessions.get(r.query.session ?? '');
      return session?.isGroup ? session.conversationId : undefined;
    }
    return undefined;
  }

  private withToken(r: RecordedRequest, answer: () => CannedAnswer): CannedAnswer {
    if (!this.tokens.has(String(r.headers['x-acs-dingtalk-access-token'] ?? ''))) {
      return { status: 401, body: { code: 'InvalidAuthentication', message: '不合法的access_token' } };
    }
    return answer();
  }

  private deliverCard(body: Record<string, unknown>): CannedAnswer {
    const space = /^dtv1\.card\/\/IM_GROUP\.(.+)$/.exec(String(body.openSpaceId ?? ''));
    const deliver = (body.imGroupOpenDeliverModel ?? {}) as { robotCode?: unknown; atUserIds?: unknown };
    const params = ((body.cardData ?? {}) as { cardParamMap?: unknown }).cardParamMap;
    if (!space || typeof body.cardTemplateId !== 'string' || typeof body.outTrackId !== 'string' || deliver.robotCode !== this.robotCode || !stringMap(params)) {
      return { status: 400, body: { code: 'param.invalid', message: 'openSpaceId, cardTemplateId, outTrackId, robotCode or cardParamMap' } };
    }
    const atUserIds = stringMap(deliver.atUserIds) ? deliver.atUserIds : {};
    const card: FakeCard = {
      outTrackId: body.outTrackId,
      templateId: body.cardTemplateId,
      conversationId: space[1]!,
      params,
      atUserIds,
      callbackType: String(body.callbackType ?? ''),
      updates: [],
    };
    this.cards.set(card.outTrackId, card);
    this.deliveries.push({
      route: 'card',
      conversationId: card.conversationId,
      msgtype: 'markdown',
      text: params.content ?? '',
      ...(params.title !== undefined ? { title: params.title } : {}),
      atUserIds: Object.keys(atUserIds),
      isAtAll: false,
      at: this.now(),
    });
    return {
      status: 200,
      body: { success: true, result: { outTrackId: card.outTrackId, deliverResults: [{ spaceType: 'IM_GROUP', spaceId: card.conversationId, success: true, carrierId: `carrier-${this.cards.size}` }] } },
    };
  }

  private updateCard(r: RecordedRequest, body: Record<string, unknown>): CannedAnswer {
    if (r.method !== 'PUT') return { status: 404, body: { code: 'NotFound', message: `${r.method} ${r.path}` } };
    const card = this.cards.get(String(body.outTrackId ?? ''));
    const params = ((body.cardData ?? {}) as { cardParamMap?: unknown }).cardParamMap;
    if (!card || !stringMap(params)) return { status: 400, body: { code: 'param.invalid', message: 'outTrackId or cardParamMap' } };
    card.params = { ...card.params, ...params };
    card.updates.push(params);
    return { status: 200, body: { success: true, result: true } };
  }

  /** Readers of one message, 100 a page; nextToken is opaque to the client. */
  private readReceipts(body: Record<string, unknown>): CannedAnswer {
    if (body.robotCode !== this.robotCode || typeof body.openConversationId !== 'string') {
      return { status: 400, body: { code: 'InvalidParameter', message: 'robotCode or openConversationId' } };
    }
    const all = this.readers.get(String(body.processQueryKey)) ?? [];
    const from = typeof body.nextToken === 'string' ? Number(Buffer.from(body.nextToken, 'base64').toString()) : 0;
    const to = from + 100;
    return {
      status: 200,
      body: {
        sendStatus: 'SUCCESS',
        readUserIds: all.slice(from, to),
        hasMore: to < all.length,
        ...(to < all.length ? { nextToken: Buffer.from(String(to)).toString('base64') } : {}),
      },
    };
  }

  private groupList(body: Record<string, unknown>): CannedAnswer {
    const pageNumber = Number(body.pageNumber);
    const pageSize = Number(body.pageSize);
    if (body.robotCode !== this.robotCode || !(pageNumber >= 1) || !(pageSize >= 1 && pageSize <= 100)) {
      return { status: 400, body: { code: 'InvalidParameter', message: 'robotCode, pageNumber or pageSize' } };
    }
    const all = [...this.groups.keys()];
    const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return { status: 200, body: { openConversationIds: page, hasMore: pageNumber * pageSize < all.length } };
  }

  private robotSend(r: RecordedRequest, body: Record<string, unknown>): CannedAnswer {
    if (!this.tokens.has(String(r.headers['x-acs-dingtalk-access-token'] ?? ''))) {
      return { status: 401, body: { code: 'InvalidAuthentication', message: '不合法的access_token' } };
    }
    if (body.robotCode !== this.robotCode || typeof body.msgParam !== 'string') {
      return { status: 400, body: { code: 'InvalidParameter', message: 'robotCode or msgParam' } };
    }
    const param = JSON.parse(body.msgParam) as Record<string, string>;
    const markdown = body.msgKey === 'sampleMarkdown';
    this.deliveries.push({
      route: r.path === GROUP_SEND_PATH ? 'group-api' : 'dm-api',
      ...(r.path === GROUP_SEND_PATH
        ? { conversationId: String(body.openConversationId) }
        : { userIds: body.userIds as string[] }),
      msgtype: markdown ? 'markdown' : 'text',
      text: (markdown ? param.text : param.content) ?? '',
      ...(markdown ? { title: param.title } : {}),
      atUserIds: [],
      isAtAll: false,
      at: this.now(),
    });
    const processQueryKey = `pqk-${this.deliveries.length}`;
    return {
      status: 200,
      body: r.path === GROUP_SEND_PATH
        ? { processQueryKey }
        : { processQueryKey, invalidStaffIdList: [], flowControlledStaffIdList: [] },
    };
  }

  private webhookSend(r: RecordedRequest, body: Record<string, unknown>): CannedAnswer {
    const session = this.sessions.get(r.query.session ?? '');
    if (!session || session.expiresAt <= this.now()) {
      return { status: 200, body: { errcode: 300001, errmsg: 'session不存在或已过期' } };
    }
    const markdown = body.msgtype === 'markdown';
    const content = (markdown ? body.markdown : body.text) as Record<string, string> | undefined;
    const at = (body.at ?? {}) as { atUserIds?: string[]; isAtAll?: boolean };
    this.deliveries.push({
      route: 'webhook',
      conversationId: session.conversationId,
      msgtype: markdown ? 'markdown' : 'text',
      text: (markdown ? content?.text : content?.content) ?? '',
      ...(markdown ? { title: content?.title } : {}),
      atUserIds: at.atUserIds ?? [],
      isAtAll: at.isAtAll === true,
      at: this.now(),
    });
    return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
  }
}

/** Whether one more call fits `budget` at `now`, given the times of earlier calls. */
function withinBudget(times: number[], budget: { max: number; windowMs: number }, now: number): boolean {
  return times.filter((t) => t > now - budget.windowMs).length < budget.max;
}

function stringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

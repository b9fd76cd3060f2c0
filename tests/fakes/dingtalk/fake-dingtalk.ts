/**
 * A fake DingTalk for tests, on 127.0.0.1: the Stream gateway ("open connection"), the websocket
 * with JSON frames (system pings, robot callbacks, the client's acks), session webhooks, the
 * access-token endpoint and the robot send APIs. Every HTTP request and client frame is recorded.
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
  route: 'webhook' | 'group-api' | 'dm-api';
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
  private readonly sessions = new Map<string, { conversationId: string; expiresAt: number }>();
  private readonly canned = new Map<string, CannedAnswer[]>();
  private readonly waiters: Waiter[] = [];
  private readonly connectionWaiters: (() => void)[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket?: WebSocket;
  private seq = 0;
  private upgradesToRefuse = 0;

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
      sessionWebhook: this.issueSessionWebhook(conversationId, expiresAt),
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

  private issueSessionWebhook(conversationId: string, expiresAt: number): string {
    const session = randomUUID();
    this.sessions.set(session, { conversationId, expiresAt });
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
    const answer = canned ?? this.answer(request);
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
      default:
        return { status: 404, body: { code: 'NotFound', message: r.path } };
    }
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

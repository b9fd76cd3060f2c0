/**
 * A fake Lark open platform on 127.0.0.1 for running the real @larksuiteoapi/node-sdk against:
 * the token endpoint, bot info, contact and chat look-ups, chat member lists, the message
 * endpoints (send, reply, card update, read receipts, urgent notices) with their frequency limits,
 * file uploads, the long-connection endpoint and its pbbp2 websocket (pings, events, acks). Every
 * HTTP request is recorded so tests can assert on exactly what the SDK sent. Like Lark, it pushes
 * an event again when the connection it went out on dies before the ack, and holds events pushed
 * while no client is connected until one is.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, header, jsonPayload, METHOD_CONTROL, METHOD_DATA, type Frame } from './frames.js';
import { SendLimits, type Violations } from './limits.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the client answered to a pushed data frame. */
export interface Ack {
  /** The frame's message_id header (the push id, not a Lark message id). */
  frameId: string;
  code: number;
  /** The handler's result, decoded from the ack payload's base64 `data`. */
  data?: unknown;
  headers: Record<string, string>;
}

export interface CannedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Lark did the work (posted the message) and only the answer went wrong, as with a gateway timeout. */
  processed?: boolean;
}

/** A file uploaded with POST /open-apis/im/v1/files (multipart). */
export interface UploadedFile {
  fileKey: string;
  fileType: string;
  fileName: string;
  /** The name the multipart part itself carries. */
  partName: string;
  bytes: Buffer;
}

/** A multipart body as recorded: fields as strings, file parts with their name, type and bytes. */
export type MultipartPart = string | { filename: string; contentType: string; bytes: Buffer };

/** A message that appeared in a chat: one per uuid, however often it was sent. */
export interface PostedMessage {
  messageId: string;
  uuid: string | undefined;
  body: Record<string, unknown>;
}

export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  /** Seconds the issued tokens live, as Lark's `expire`. */
  tokenExpireSec?: number;
  /** Issued tenant tokens are this prefix and a counter (default `t-`: t-1, t-2…). */
  tokenPrefix?: string;
  /** Long-connection client config, in seconds as Lark sends it. */
  reconnectIntervalSec?: number;
  pingIntervalSec?: number;
  /** The clock the frequency limits count by (a test's fake clock); default Date.now. */
  now?: () => number;
}

/** A member of a chat as GET /open-apis/im/v1/chats/:chat_id/members lists it. */
export interface ChatMember {
  openId: string;
  name: string;
  /** Another tenant's key marks an external member, whom the contact API never names (41050). */
  tenantKey?: string;
}

/** The fake's own tenant; members with another tenant_key are external. */
export const TENANT_KEY = 'tenant_1';

/** A card update (PATCH /open-apis/im/v1/messages/:message_id). */
export interface CardPatch {
  messageId: string;
  content: string;
}

/** An urgent notice (PATCH /open-apis/im/v1/messages/:message_id/urgent_app). */
export interface UrgentNotice {
  messageId: string;
  userIds: string[];
}

interface Push {
  frames: Uint8Array[];
  /** The socket it last went out on; undefined while it waits for a connection. */
  ws: WebSocket | undefined;
  resolve(ack: Ack): void;
  reject(err: Error): void;
}

/** Credentials Lark puts in the websocket URL (short-lived, but not for logs). */
export const WS_URL_ACCESS_KEY = 'ak-fake-3f9c1e7b5d';
export const WS_URL_TICKET = 'tk-fake-0b8d2a6c4e';

const MESSAGE_PATH = /^\/open-apis\/im\/v1\/messages(?:\/([^/]+)\/reply)?$/;
/** Lark's list endpoints: page_size 20 unless asked, at most 100. */
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

export class FakeLark {
  readonly appId: string;
  readonly appSecret: string;
  readonly botOpenId: string;
  tokenExpireSec: number;
  readonly requests: RecordedRequest[] = [];
  readonly acks: Ack[] = [];
  /**
   * Directory the contact and chat endpoints answer from. Only the fake tenant's own people
   * belong in `users`: the contact API answers 41050 for anyone else, as Lark does for members
   * of other tenants (put those in `chatMembers` with their own tenantKey).
   */
  readonly users = new Map<string, string>();
  readonly chats = new Map<string, string>();
  /** Chat member lists, by chat_id (the chat must be in `chats` too: the bot is in it). */
  readonly chatMembers = new Map<string, ChatMember[]>();
  /** Who has read each of the bot's messages (open_ids, by message_id), as read_users answers. */
  readonly readers = new Map<string, string[]>();
  /** Card updates, in order. */
  readonly patches: CardPatch[] = [];
  /** Urgent notices sent, in order. */
  readonly urgents: UrgentNotice[] = [];
  /** Whether the app holds im:message.urgent; without it urgent_app is refused. */
  urgentPermission = true;
  /** The message API's frequency limits (5/s per chat, 50/s and 1,000/min per app), enforced on every send and reply. */
  readonly limits: SendLimits;
  /** Websocket connections that have pinged at least once (i.e. are fully set up). */
  connectionsReady = 0;
  /** Every tenant token issued, in order. */
  readonly issuedTokenLog: string[] = [];
  /** Messages the chats show, in order (repeats of a uuid are not posted again). */
  readonly posted: PostedMessage[] = [];
  /** Frame ids pushed again because their connection died before the ack. */
  readonly redelivered: string[] = [];
  /** Files uploaded, in order; a file message must name one of their keys. */
  readonly uploads: UploadedFile[] = [];

  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  /** Sockets that have pinged: events go only to these (a frame sent before the first ping can be lost). */
  private readonly ready = new Set<WebSocket>();
  private readonly silenced = new WeakSet<WebSocket>();
  /** Pushed events not acknowledged yet, by frame id, in push order. */
  private readonly pushes = new Map<string, Push>();
  private readonly canned: { path: RegExp; answer: CannedAnswer }[] = [];
  private readonly readyWaiters: { count: number; resolve(): void }[] = [];
  private readonly messageWaiters: { count: number; resolve(): void }[] = [];
  private readonly issuedTokens = new Set<string>();
  private readonly sentByUuid = new Map<string, string>();
  /** The chat of each message the fake knows (pushed to the bot, or posted by it), for replies' per-chat limit. */
  private readonly chatOfMessage = new Map<string, string>();
  private readonly clientConfig: Record<string, number>;
  private readonly tokenPrefix: string;
  private tokenSeq = 0;
  private fileSeq = 0;
  private acksToLose = 0;
  private messageSeq = 0;
  private frameSeq = 0;

  constructor(opts: FakeLarkOptions = {}) {
    this.appId = opts.appId ?? 'cli_a1b2c3d4e5f60718';
    this.appSecret = opts.appSecret ?? 'fake-secret';
    this.botOpenId = opts.botOpenId ?? 'ou_bot';
    this.tokenExpireSec = opts.tokenExpireSec ?? 7200;
    this.tokenPrefix = opts.tokenPrefix ?? 't-';
    this.limits = new SendLimits(opts.now ?? Date.now);
    this.clientConfig = {
      PingInterval: opts.pingIntervalSec ?? 120,
      ReconnectCount: -1,
      ReconnectInterval: opts.reconnectIntervalSec ?? 0.05,
      ReconnectNonce: 0,
    };
    this.http = createServer((req, res) => {
      this.onHttp(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    this.http.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    const { port } = this.http.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const p of this.pushes.values()) p.reject(new Error('fake stopped'));
    this.pushes.clear();
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Requests to the message endpoints (send and reply), in order. */
  messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => MESSAGE_PATH.test(r.path));
  }

  /** Sends refused so far, by the limit they broke: all zero when the bot kept every limit. */
  rateViolations(): Violations {
    return { ...this.limits.violations };
  }

  tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/open-apis/auth/v3/tenant_access_token/internal');
  }

  /** The next request whose path matches gets this answer instead of the normal one. */
  answerNext(path: RegExp, answer: CannedAnswer): void {
    this.canned.push({ path, answer });
  }

  /** Makes every issued token invalid, as when Lark rotates them early. */
  revokeTokens(): void {
    this.issuedTokens.clear();
  }

  /** Resolves once `count` connections in total have been set up (counted at their first ping). */
  waitForConnections(count: number): Promise<void> {
    if (this.connectionsReady >= count) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push({ count, resolve }));
  }

  /** Open websockets go quiet (no pongs, no acks read) without closing, as a dead NAT path looks. */
  silenceConnections(): void {
    for (const ws of this.sockets) this.silenced.add(ws);
  }

  /** Terminates every open websocket, as a network drop would; unacknowledged events wait for the next connection. */
  dropConnections(): void {
    for (const ws of this.sockets) {
      this.ready.delete(ws);
      ws.terminate();
    }
  }

  /** The next ack is lost on the way: its connection dies before Lark reads it, so Lark pushes the event again. */
  loseNextAck(): void {
    this.acksToLose++;
  }

  /** Pushed events held because no client is connected. */
  waitingForConnection(): number {
    return [...this.pushes.values()].filter((p) => !p.ws).length;
  }

  /** Resolves once `count` requests in total have gone to the message endpoints (send and reply). */
  waitForMessageRequests(count: number): Promise<void> {
    if (this.messageRequests().length >= count) return Promise.resolve();
    return new Promise((resolve) => this.messageWaiters.push({ count, resolve }));
  }

  /**
   * Pushes one event (the full `{schema, header, event}` JSON) on the newest ready connection, or
   * on the next one when none is, and resolves with the client's ack. `chunks` > 1 splits the
   * payload the way Lark splits large events.
   */
  pushEvent(payload: object, opts: { chunks?: number } = {}): Promise<Ack> {
    const message = (payload as { event?: { message?: { message_id?: unknown; chat_id?: unknown } } }).event?.message;
    if (typeof message?.message_id === 'string' && typeof message.chat_id === 'string') this.chatOfMessage.set(message.message_id, message.chat_id);
    const frameId = `frame_${++this.frameSeq}`;
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const chunks = opts.chunks ?? 1;
    const size = Math.ceil(bytes.length / chunks);
    const frames: Uint8Array[] = [];
    for (let seq = 0; seq < chunks; seq++) {
      const frame: Frame = {
        SeqID: this.frameSeq,
        LogID: this.frameSeq,
        service: 1,
        method: METHOD_DATA,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: frameId },
          { key: 'sum', value: String(chunks) },
          { key: 'seq', value: String(seq) },
          { key: 'trace_id', value: `trace_${frameId}` },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      };
      frames.push(encodeFrame(frame));
    }
    return new Promise<Ack>((resolve, reject) => {
      this.pushes.set(frameId, { frames, ws: undefined, resolve, reject });
      this.deliver(frameId);
    });
  }

  /** Sends a pushed event on the newest ready connection; without one it waits (see onSocket). */
  private deliver(frameId: string): void {
    const push = this.pushes.get(frameId);
    const ws = [...this.ready].filter((s) => !this.silenced.has(s) && s.readyState === s.OPEN).at(-1);
    if (!push || !ws) return;
    push.ws = ws;
    for (const f of push.frames) ws.send(f);
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    let pinged = false;
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.ready.delete(ws);
      // Lark pushes an event again when it got no ack for it.
      for (const [frameId, push] of this.pushes) {
        if (push.ws !== ws) continue;
        push.ws = undefined;
        this.redelivered.push(frameId);
        this.deliver(frameId);
      }
    });
    ws.on('message', (data: Buffer) => {
      if (this.silenced.has(ws)) return;
      const frame = decodeFrame(data);
      if (frame.method === METHOD_CONTROL && header(frame, 'type') === 'ping') {
        ws.send(encodeFrame({
          SeqID: 0,
          LogID: 0,
          service: frame.service,
          method: METHOD_CONTROL,
          headers: [{ key: 'type', value: 'pong' }],
          payload: new TextEncoder().encode(JSON.stringify(this.clientConfig)),
        }));
        if (!pinged) {
          pinged = true;
          this.ready.add(ws);
          for (const [frameId, push] of this.pushes) if (!push.ws) this.deliver(frameId);
          this.connectionsReady++;
          for (const w of [...this.readyWaiters]) {
            if (this.connectionsReady >= w.count) {
              this.readyWaiters.splice(this.readyWaiters.indexOf(w), 1);
              w.resolve();
            }
          }
        }
        return;
      }
      if (frame.method !== METHOD_DATA) return;
      if (this.acksToLose > 0) {
        this.acksToLose--;
        this.ready.delete(ws);
        ws.terminate();
        return;
      }
      this.onAck(frame);
    });
  }

  private onAck(frame: Frame): void {
    const frameId = header(frame, 'message_id') ?? '';
    const body = jsonPayload(frame) as { code: number; data?: string };
    const ack: Ack = {
      frameId,
      code: body.code,
      data: body.data ? JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) : undefined,
      headers: Object.fromEntries(frame.headers.map((h) => [h.key, h.value])),
    };
    this.acks.push(ack);
    this.pushes.get(frameId)?.resolve(ack);
    this.pushes.delete(frameId);
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    const body: unknown = type.startsWith('multipart/form-data') ? await multipart(raw, type) : raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    const rec: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    };
    this.requests.push(rec);
    const canned = this.cannedFor(rec.path);
    const routed = !canned || canned.processed ? this.route(rec) : undefined;
    const answer = canned ?? routed!;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
    const sent = this.messageRequests().length;
    for (const w of [...this.messageWaiters]) {
      if (sent >= w.count) {
        this.messageWaiters.splice(this.messageWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  private cannedFor(path: string): CannedAnswer | undefined {
    const i = this.canned.findIndex((c) => c.path.test(path));
    if (i < 0) return undefined;
    return this.canned.splice(i, 1)[0]?.answer;
  }

  private route(rec: RecordedRequest): CannedAnswer {
    const ok = (body: object): CannedAnswer => ({ status: 200, body: { code: 0, msg: 'success', ...body } });
    const b = (rec.body ?? {}) as Record<string, unknown>;
    if (rec.path === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (b.app_id !== this.appId || b.app_secret !== this.appSecret) {
        return { status: 400, body: { code: 10014, msg: 'app secret invalid' } };
      }
      const token = `${this.tokenPrefix}${++this.tokenSeq}`;
      this.issuedTokens.add(token);
      this.issuedTokenLog.push(token);
      return ok({ tenant_access_token: token, expire: this.tokenExpireSec });
    }
    if (rec.path === '/callback/ws/endpoint') {
      if (b.AppID !== this.appId || b.AppSecret !== this.appSecret) {
        return { status: 200, body: { code: 514, msg: 'auth failed', data: {} } };
      }
      const { port } = this.http.address() as AddressInfo;
      return ok({
        data: {
          URL: `ws://127.0.0.1:${port}/ws?device_id=fake&service_id=1&access_key=${WS_URL_ACCESS_KEY}&ticket=${WS_URL_TICKET}`,
          ClientConfig: this.clientConfig,
        },
      });
    }
    const token = String(rec.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.issuedTokens.has(token)) {
      return { status: 400, body: { code: 99991663, msg: 'Invalid access token for authorization.' } };
    }
    if (rec.method === 'GET' && rec.path === '/open-apis/bot/v3/info') {
      return ok({ bot: { activate_status: 2, app_name: 'classbot', open_id: this.botOpenId } });
    }
    const user = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(rec.path);
    if (rec.method === 'GET' && user) {
      const name = this.users.get(decodeURIComponent(user[1] ?? ''));
      if (name === undefined) return { status: 400, body: { code: 41050, msg: 'no user authority error' } };
      return ok({ data: { user: { open_id: user[1], name } } });
    }
    const chat = /^\/open-apis\/im\/v1\/chats\/([^/]+)$/.exec(rec.path);
    if (rec.method === 'GET' && chat) {
      const name = this.chats.get(decodeURIComponent(chat[1] ?? ''));
      if (name === undefined) return { status: 400, body: { code: 232011, msg: 'operator is not in the chat' } };
      return ok({ data: { chat_id: chat[1], name } });
    }
    if (rec.method === 'POST' && rec.path === '/open-apis/im/v1/files') {
      const file = b.file;
      // Lark refuses an upload without a file part, and empty files.
      if (typeof file !== 'object' || file === null || !(file as { bytes: Buffer }).bytes.length) {
        return { status: 400, body: { code: 234001, msg: 'Invalid request param (fake: no file or empty file)' } };
      }
      const part = file as { filename: string; bytes: Buffer };
      const fileKey = `file_v3_fake_${++this.fileSeq}`;
      this.uploads.push({ fileKey, fileType: String(b.file_type), fileName: String(b.file_name), partName: part.filename, bytes: part.bytes });
      return ok({ data: { file_key: fileKey } });
    }
    const members = /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/.exec(rec.path);
    if (rec.method === 'GET' && members) {
      const chatId = decodeURIComponent(members[1] ?? '');
      if (!this.chats.has(chatId)) return { status: 400, body: { code: 232011, msg: 'operator is not in the chat' } };
      if ((rec.query.member_id_type ?? 'open_id') !== 'open_id') return { status: 400, body: { code: 99992402, msg: 'fake: only member_id_type=open_id' } };
      const list = this.chatMembers.get(chatId) ?? [];
      const page = paged(list, rec.query);
      if (!page) return { status: 400, body: { code: 99992402, msg: 'field validation failed: page_size' } };
      return ok({
        data: {
          items: page.items.map((m) => ({ member_id_type: 'open_id', member_id: m.openId, name: m.name, tenant_key: m.tenantKey ?? TENANT_KEY })),
          page_token: page.pageToken,
          has_more: page.hasMore,
          member_total: list.length,
        },
      });
    }
    const readUsers = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/read_users$/.exec(rec.path);
    if (rec.method === 'GET' && readUsers) {
      const messageId = decodeURIComponent(readUsers[1] ?? '');
      // Lark answers only for the bot's own messages (of the last 7 days).
      if (!this.posted.some((p) => p.messageId === messageId)) return { status: 400, body: { code: 230001, msg: 'fake: not a message this bot sent' } };
      if (rec.query.user_id_type !== 'open_id') return { status: 400, body: { code: 99992402, msg: 'field validation failed: user_id_type is required' } };
      const page = paged(this.readers.get(messageId) ?? [], rec.query);
      if (!page) return { status: 400, body: { code: 99992402, msg: 'field validation failed: page_size' } };
      return ok({
        data: {
          items: page.items.map((id) => ({ user_id_type: 'open_id', user_id: id, timestamp: '1760000000000', tenant_key: TENANT_KEY })),
          has_more: page.hasMore,
          page_token: page.pageToken,
        },
      });
    }
    const urgent = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/.exec(rec.path);
    if (rec.method === 'PATCH' && urgent) {
      const messageId = decodeURIComponent(urgent[1] ?? '');
      if (!this.urgentPermission) {
        return { status: 400, body: { code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:message.urgent].' } };
      }
      if (!this.posted.some((p) => p.messageId === messageId)) return { status: 400, body: { code: 230001, msg: 'fake: only the bot\'s own messages can be urgent' } };
      const ids = Array.isArray(b.user_id_list) ? (b.user_id_list as unknown[]).map(String) : [];
      if (rec.query.user_id_type !== 'open_id' || ids.length === 0) return { status: 400, body: { code: 99992402, msg: 'field validation failed' } };
      const invalid = ids.filter((id) => !id.startsWith('ou_'));
      this.urgents.push({ messageId, userIds: ids.filter((id) => !invalid.includes(id)) });
      return ok({ data: { invalid_user_id_list: invalid } });
    }
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(rec.path);
    if (rec.method === 'PATCH' && patch) {
      const messageId = decodeURIComponent(patch[1] ?? '');
      const original = this.posted.find((p) => p.messageId === messageId);
      // Only the bot's own shared cards (config.update_multi) can be updated, and only with a card.
      if (!original || original.body.msg_type !== 'interactive' || !sharedCard(original.body.content)) {
        return { status: 400, body: { code: 230001, msg: 'fake: not a shared card this bot sent' } };
      }
      if (!sharedCard(b.content)) return { status: 400, body: { code: 230099, msg: 'fake: the update is not a shared card' } };
      this.patches.push({ messageId, content: String(b.content) });
      return ok({ data: {} });
    }
    const message = MESSAGE_PATH.exec(rec.path);
    if (rec.method === 'POST' && message) {
      const parent = message[1];
      const chatId = parent ? this.chatOfMessage.get(parent) : rec.query.receive_id_type === 'chat_id' ? String(b.receive_id) : undefined;
      // 5/s to one chat, or to one user by whichever id names them.
      const target = chatId ? `chat:${chatId}` : parent ? `message:${parent}` : `user:${String(b.receive_id)}`;
      const broken = this.limits.admit(target);
      if (broken.includes('appPerMinute') || broken.includes('appPerSecond')) {
        // The gateway's app-wide limit, answered before the message service sees the request.
        const limit = broken.includes('appPerMinute') ? 'appPerMinute' : 'appPerSecond';
        return {
          status: 429,
          body: { code: 99991400, msg: 'request trigger frequency limit' },
          headers: { 'x-ogw-ratelimit-limit': limit === 'appPerMinute' ? '1000' : '50', 'x-ogw-ratelimit-reset': String(this.limits.resetSec(limit)) },
        };
      }
      if (broken.length > 0) return { status: 400, body: { code: 230020, msg: 'This operation triggers the frequency limit.' } };
      if (b.msg_type === 'file') {
        const fileKey = (JSON.parse(String(b.content)) as { file_key?: string }).file_key;
        if (!this.uploads.some((u) => u.fileKey === fileKey)) return { status: 400, body: { code: 234003, msg: 'File not found (fake: unknown file_key)' } };
      }
      // Lark sends at most one message per uuid (within an hour) and answers repeats with it.
      const uuid = typeof b.uuid === 'string' ? b.uuid : undefined;
      const repeat = uuid ? this.sentByUuid.get(uuid) : undefined;
      const messageId = repeat ?? `om_sent_${++this.messageSeq}`;
      if (uuid) this.sentByUuid.set(uuid, messageId);
      if (!repeat) this.posted.push({ messageId, uuid, body: b });
      if (chatId) this.chatOfMessage.set(messageId, chatId);
      return ok({ data: { message_id: messageId, msg_type: b.msg_type, parent_id: message[1] } });
    }
    return { status: 404, body: { code: 404, msg: `fake has no route ${rec.method} ${rec.path}` } };
  }
}

/** One page of a list by Lark's page_size/page_token (an offset here), or null for a page_size Lark refuses. */
function paged<T>(list: T[], query: Record<string, string>): { items: T[]; hasMore: boolean; pageToken: string | undefined } | null {
  const size = query.page_size === undefined ? DEFAULT_PAGE_SIZE : Number(query.page_size);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return null;
  const from = Number(query.page_token ?? 0) || 0;
  const items = list.slice(from, from + size);
  const hasMore = from + size < list.length;
  return { items, hasMore, pageToken: hasMore ? String(from + size) : undefined };
}

function sharedCard(content: unknown): boolean {
  try {
    const card = JSON.parse(String(content)) as { config?: { update_multi?: unknown } };
    return card.config?.update_multi === true;
  } catch {
    return false;
  }
}

/** Parses a multipart body with the platform's own parser (undici's, behind Response). */
async function multipart(raw: Buffer, contentType: string): Promise<Record<string, MultipartPart>> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const out: Record<string, MultipartPart> = {};
  for (const [key, value] of form) {
    out[key] = typeof value === 'string' ? value : { filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return out;
}

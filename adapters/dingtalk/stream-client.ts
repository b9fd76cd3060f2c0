import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type WebSocket from 'ws';
import type { Logger } from '../../src/log.js';

/** Fields that dingtalk-stream 2.1.5 declares private but a subclass has to reach. Re-check on upgrades. */
interface SdkInternals {
  dw_url?: string;
  socket?: WebSocket;
  reconnectInterval: number;
  heartbeatIntervallId?: ReturnType<typeof setInterval>;
  userDisconnect: boolean;
}

function internals(client: DWClient): SdkInternals {
  return client as unknown as SdkInternals;
}

export type StreamState = 'connected' | 'reconnecting' | 'error';

export interface StreamClientOptions {
  clientId: string;
  clientSecret: string;
  /** The gateway's "open connection" URL; the SDK hard-codes DingTalk's, we make it configurable. */
  gatewayUrl: string;
  /** Websocket-level pings that drop a dead connection (on in production). */
  keepAlive?: boolean;
  log: Logger;
  onState(state: StreamState, detail?: string): void;
  /** Called with the raw JSON data of a robot callback, just before it is acknowledged. */
  onRobotMessage(data: string): void;
  /** Called with the raw JSON data of a card button press and the frame's id, just before it is acknowledged. */
  onCardCallback(data: string, messageId: string): void;
}

type SdkOptions = ConstructorParameters<typeof DWClient>[0];

/**
 * Starts the SDK with an empty subscription list (its options type omits the field, its config
 * reads it): the default subscribes to every event ("*"), which the bot would only ack and drop,
 * and is one array shared by every client, which registerCallbackListener pushes into.
 */
function ownSubscriptions(opts: SdkOptions): SdkOptions {
  return Object.assign(opts, { subscriptions: [] });
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

/** The gateway refused us (bad credentials, app not allowed to use Stream mode): retrying alone will not fix it. */
class GatewayRefused extends Error {}

/**
 * The real DWClient with the fixes classbot needs: a configurable gateway, connection state
 * reported as it changes, backoff between failed attempts, one attempt at a time (the SDK can
 * schedule two after a failed handshake) and none after shutdown, and a bad frame that is
 * skipped instead of thrown out of the socket handler.
 */
export class DingtalkStreamClient extends DWClient {
  private stopped = false;
  private connecting = false;
  private failures = 0;

  constructor(private readonly opts: StreamClientOptions) {
    super(ownSubscriptions({ clientId: opts.clientId, clientSecret: opts.clientSecret, keepAlive: opts.keepAlive ?? true, ua: 'classbot' }));
    // Ack at once, however long our handling takes (DingTalk redelivers what is not acked), but
    // only once the message is handed over: the engine has written it to its spool by then.
    this.registerCallbackListener(TOPIC_ROBOT, (frame: DWClientDownStream) => {
      try {
        opts.onRobotMessage(frame.data);
      } finally {
        this.socketCallBackResponse(frame.headers.messageId, { status: 'SUCCESS' });
      }
    });
    // The card is updated by the alert's follow-up (PUT /v1.0/card/instances), so the ack carries no card data.
    this.registerCallbackListener(TOPIC_CARD, (frame: DWClientDownStream) => {
      try {
        opts.onCardCallback(frame.data, frame.headers.messageId);
      } finally {
        this.socketCallBackResponse(frame.headers.messageId, {});
      }
    });
  }

  override async connect(): Promise<void> {
    if (this.stopped || this.connecting || this.connected) return;
    this.connecting = true;
    try {
      await super.connect();
    } finally {
      this.connecting = false;
    }
  }

  override async getEndpoint(): Promise<this> {
    try {
      const { endpoint, ticket } = await this.openConnection();
      internals(this).dw_url = `${endpoint}?ticket=${encodeURIComponent(ticket)}`;
      return this;
    } catch (err) {
      throw this.failed(err);
    }
  }

  override async _connect(): Promise<void> {
    const sdk = internals(this);
    // The SDK starts a keep-alive timer per connection and clears only the last one.
    clearInterval(sdk.heartbeatIntervallId);
    if (this.stopped) throw new Error('stopped');
    try {
      await super._connect();
    } catch (err) {
      throw this.failed(err);
    }
    sdk.socket?.once('close', (code: number) => {
      clearInterval(sdk.heartbeatIntervallId);
      if (!this.stopped) this.opts.onState('reconnecting', `连接已断开（${code}），正在重连`);
    });
    this.failures = 0;
    sdk.reconnectInterval = FIRST_RETRY_MS;
    this.opts.onState('connected');
  }

  override onDownStream(data: string): void {
    try {
      super.onDownStream(data);
    } catch (err) {
      this.opts.log.warn({ err }, 'dingtalk: unreadable stream frame skipped');
    }
  }

  /**
   * Closes the connection for good; reconnect timers the SDK already set find nothing to do.
   * What the SDK's disconnect() does, without its console.info.
   */
  shutdown(): void {
    this.stopped = true;
    const sdk = internals(this);
    sdk.userDisconnect = true;
    clearInterval(sdk.heartbeatIntervallId);
    sdk.socket?.close();
  }

  private async openConnection(): Promise<{ endpoint: string; ticket: string }> {
    const res = await fetch(this.opts.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: unknown; ticket?: unknown; code?: unknown; message?: unknown };
    if (!res.ok) {
      const why = `网关拒绝连接：HTTP ${res.status} ${String(body.code ?? '')} ${String(body.message ?? '')}`.trim();
      throw res.status >= 400 && res.status < 500 && res.status !== 429 ? new GatewayRefused(why) : new Error(why);
    }
    if (typeof body.endpoint !== 'string' || typeof body.ticket !== 'string') {
      throw new Error('网关应答缺少 endpoint 或 ticket');
    }
    return { endpoint: body.endpoint, ticket: body.ticket };
  }

  /** Records a failed attempt: longer wait before the next one (the SDK reads it), state reported. */
  private failed(err: unknown): unknown {
    if (this.stopped) return err;
    this.failures += 1;
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
    internals(this).reconnectInterval = wait;
    const message = err instanceof Error ? err.message : String(err);
    this.opts.onState(
      err instanceof GatewayRefused ? 'error' : 'reconnecting',
      `第 ${this.failures} 次连接失败：${message}；${wait / 1000} 秒后重试`,
    );
    return err;
  }
}

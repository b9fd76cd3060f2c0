/**
 * Display names Lark events leave out: the sender's (contact API, needs the contact permission)
 * and the group's (chat API). Answers are cached; a failed look-up is cached for a shorter while
 * so a missing permission costs one warning now and then, not one request per message.
 */
import type { Client } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../src/log.js';

const HIT_TTL_MS = 6 * 60 * 60 * 1000;
const MISS_TTL_MS = 10 * 60 * 1000;

interface Entry {
  name: string | undefined;
  until: number;
}

export class Directory {
  private readonly users = new Map<string, Entry>();
  private readonly chats = new Map<string, Entry>();

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  /** The member's name, or undefined when Lark will not say (no permission, outside the contact scope). */
  userName(openId: string): Promise<string | undefined> {
    return this.lookup(this.users, openId, async () => {
      const res = await this.client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } });
      return res.code === 0 ? res.data?.user?.name : undefined;
    });
  }

  chatName(chatId: string): Promise<string | undefined> {
    return this.lookup(this.chats, chatId, async () => {
      const res = await this.client.im.v1.chat.get({ path: { chat_id: chatId } });
      return res.code === 0 ? res.data?.name : undefined;
    });
  }

  private async lookup(cache: Map<string, Entry>, id: string, fetch: () => Promise<string | undefined>): Promise<string | undefined> {
    const now = Date.now();
    const hit = cache.get(id);
    if (hit && hit.until > now) return hit.name;
    let name: string | undefined;
    try {
      name = await fetch();
    } catch (err) {
      const data = (err as { response?: { data?: { code?: number; msg?: string } } }).response?.data;
      this.log.warn({ id, code: data?.code, msg: data?.msg ?? (err as Error).message }, 'lark: name look-up failed');
    }
    cache.set(id, { name, until: now + (name ? HIT_TTL_MS : MISS_TTL_MS) });
    return name;
  }
}

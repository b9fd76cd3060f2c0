/**
 * Display names Lark events leave out: the sender's (contact API, needs the contact permission)
 * and the group's (chat API). The contact API never names members of other tenants (41050), as
 * parents on their own Lark are: for them the name comes from the chat's member list, read whole
 * and cached per chat. Answers are cached; a failed look-up is cached for a shorter while so a
 * missing permission costs one warning now and then, not one request per message.
 */
import type { Client } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../src/log.js';
import { allPages, LarkListError } from './pages.js';

const HIT_TTL_MS = 6 * 60 * 60 * 1000;
const MISS_TTL_MS = 10 * 60 * 1000;
/** The largest page the chat member list gives. */
const MEMBERS_PAGE_SIZE = 100;

interface Entry {
  name: string | undefined;
  until: number;
}

interface Roster {
  names: Map<string, string> | undefined;
  until: number;
}

export class Directory {
  private readonly users = new Map<string, Entry>();
  private readonly chats = new Map<string, Entry>();
  private readonly rosters = new Map<string, Roster>();

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  /**
   * The member's name, or undefined when Lark will not say (no permission, outside the contact
   * scope and not in `chatId`'s member list).
   */
  async userName(openId: string, chatId?: string): Promise<string | undefined> {
    const name = await this.lookup(this.users, openId, async () => {
      const res = await this.client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } });
      return res.code === 0 ? res.data?.user?.name : undefined;
    });
    return name ?? (chatId ? this.memberName(chatId, openId) : undefined);
  }

  chatRenamed(chatId: string, name: string): void {
    this.chats.set(chatId, { name, until: Date.now() + HIT_TTL_MS });
  }

  /** Someone joined: the chat's cached member list lacks them. */
  membersChanged(chatId: string): void {
    this.rosters.delete(chatId);
  }

  chatName(chatId: string): Promise<string | undefined> {
    return this.lookup(this.chats, chatId, async () => {
      const res = await this.client.im.v1.chat.get({ path: { chat_id: chatId } });
      return res.code === 0 ? res.data?.name : undefined;
    });
  }

  private async memberName(chatId: string, openId: string): Promise<string | undefined> {
    const now = Date.now();
    let roster = this.rosters.get(chatId);
    if (!roster || roster.until <= now) {
      const names = await this.readMembers(chatId);
      roster = { names, until: now + (names ? HIT_TTL_MS : MISS_TTL_MS) };
      this.rosters.set(chatId, roster);
    }
    return roster.names?.get(openId) || undefined;
  }

  /** GET /open-apis/im/v1/chats/:chat_id/members, every page (needs im:chat:readonly or im:chat.members:read). */
  private async readMembers(chatId: string): Promise<Map<string, string> | undefined> {
    try {
      const members = await allPages((pageToken) =>
        this.client.im.v1.chatMembers.get({ path: { chat_id: chatId }, params: { member_id_type: 'open_id', page_size: MEMBERS_PAGE_SIZE, page_token: pageToken } }),
      );
      return new Map(members.flatMap((m) => (m.member_id && m.name ? [[m.member_id, m.name] as const] : [])));
    } catch (err) {
      this.warn(chatId, err, 'lark: chat member list failed');
      return undefined;
    }
  }

  private async lookup(cache: Map<string, Entry>, id: string, fetch: () => Promise<string | undefined>): Promise<string | undefined> {
    const now = Date.now();
    const hit = cache.get(id);
    if (hit && hit.until > now) return hit.name;
    let name: string | undefined;
    try {
      name = await fetch();
    } catch (err) {
      this.warn(id, err, 'lark: name look-up failed');
    }
    cache.set(id, { name, until: now + (name ? HIT_TTL_MS : MISS_TTL_MS) });
    return name;
  }

  private warn(id: string, err: unknown, what: string): void {
    const data = err instanceof LarkListError ? err.body : (err as { response?: { data?: { code?: number; msg?: string } } }).response?.data;
    this.log.warn({ id, code: data?.code, msg: data?.msg ?? (err as Error).message }, what);
  }
}

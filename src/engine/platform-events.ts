import { z } from 'zod';
import { PLATFORMS, type MemberRef, type Platform, type PlatformEvent } from '../model.js';
import { findStaff } from '../playbook/playbook.js';
import type { Feature, Services } from './feature.js';
import { MAX_ID, MAX_NAME } from './inbound.js';
import type { Directory } from './members.js';

const id = z.string().min(1).max(MAX_ID);
const title = z.string().max(MAX_NAME * 4).transform((s) => s.slice(0, MAX_NAME));
const member = z.object({ id, name: z.string().transform((s) => s.slice(0, MAX_NAME)) });
const base = { platform: z.enum(PLATFORMS), at: z.number().finite() };
const eventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group-seen'), ...base, groupId: id, groupName: title }),
  z.object({ kind: z.literal('membership'), ...base, groupId: id, joined: z.array(member).max(5_000), left: z.array(member).max(5_000) }),
  z.object({ kind: z.literal('recalled'), ...base, groupId: id.nullable(), eventId: id }),
  z.object({ kind: z.literal('groups-changed'), ...base }),
]);

/**
 * What platforms say besides messages: a group the bot joined or that was renamed, people joining
 * and leaving, a recalled message, a group list that grew. Each event is its own transaction; a
 * malformed one is logged and skipped, and one the database cannot take now is logged (they are
 * facts the platform repeats or the next message restores, not words a parent would lose).
 */
export class PlatformEvents {
  /** A platform's list of groups may have grown: the bot looks its title-bound groups up again. */
  onGroupsChanged: ((platform: Platform) => Promise<void>) | undefined;
  /** The look-up an event started, awaited after its transaction. */
  private lookUp: Promise<void> | undefined;

  constructor(
    private readonly services: Services,
    private readonly directory: Directory,
    private readonly features: Feature[],
  ) {}

  /** Records the event; resolves once any group look-up it started has answered. */
  handle(raw: unknown): Promise<void> | undefined {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      this.services.log.warn({ problem: parsed.error.issues[0]?.message, path: parsed.error.issues[0]?.path.join('.') }, 'malformed platform event skipped');
      return undefined;
    }
    const event = parsed.data as PlatformEvent;
    this.lookUp = undefined;
    try {
      this.services.store.tx(() => this.apply(event));
      return this.lookUp;
    } catch (e) {
      this.directory.clear();
      this.services.router.reload();
      this.services.log.error({ kind: event.kind, platform: event.platform, err: (e as Error).message }, 'could not record a platform event');
      return this.lookUp;
    }
  }

  private apply(event: PlatformEvent): void {
    const now = this.services.clock.now();
    switch (event.kind) {
      case 'group-seen':
        if (!this.services.router.seen(event.platform, event.groupId, event.groupName, now)) this.lookUp = this.onGroupsChanged?.(event.platform);
        return;
      case 'groups-changed':
        this.lookUp = this.onGroupsChanged?.(event.platform);
        return;
      case 'membership':
        this.membership(event.platform, event.groupId, event.joined, event.left, now);
        return;
      case 'recalled':
        this.recalled(event.platform, event.eventId, now);
    }
  }

  private membership(platform: Platform, chatId: string, joined: MemberRef[], left: MemberRef[], now: number): void {
    const route = this.services.router.route(platform, chatId, undefined, '', now);
    const groupRow = this.directory.group(platform, chatId, '', route?.playbook.id ?? null, route?.group.key ?? null, now);
    for (const m of joined) {
      const row = this.directory.member(platform, m.id, m.name, now);
      const staff = route && findStaff(route.playbook, platform, m.id);
      this.directory.join(groupRow, row.id, staff || route?.kind === 'staff' ? 'staff' : 'parent', now, true);
    }
    for (const m of left) this.directory.leave(groupRow, this.directory.member(platform, m.id, m.name, now).id, now);
  }

  private recalled(platform: Platform, eventId: string, now: number): void {
    const row = this.services.store.sqlite
      .prepare(`UPDATE messages SET recalled_at = ? WHERE platform = ? AND event_id = ? AND recalled_at IS NULL RETURNING id, playbook_id AS playbookId`)
      .get(now, platform, eventId) as { id: number; playbookId: string | null } | undefined;
    if (!row?.playbookId) return;
    const playbook = this.services.playbooks().find((p) => p.id === row.playbookId);
    if (!playbook) return;
    for (const f of this.features) f.onRecalled?.({ services: this.services, playbook, messageId: row.id, now });
  }
}

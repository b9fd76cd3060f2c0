import { and, asc, eq, isNotNull, or } from 'drizzle-orm';
import type { Store } from '../store/db.js';
import { checkinAwards, checkins, followups, groupMembers, groups, members, memberSettings, messages, privacyLog } from '../store/schema.js';
import { typed } from '../store/typed.js';

export type MemberRow = typeof members.$inferSelect;

/** Members matching `query`: a name, a platform user id, or `platform:userId`. */
export function findMembers(store: Store, query: string): MemberRow[] {
  const [platform = '', ...rest] = query.split(':');
  return typed(store)
    .select()
    .from(members)
    .where(or(eq(members.name, query), eq(members.userId, query), and(eq(members.platform, platform), eq(members.userId, rest.join(':')))))
    .orderBy(asc(members.id))
    .all();
}

function audit(store: Store, action: 'export' | 'forget', memberId: number, actor: string, at: number, detail: unknown): void {
  typed(store).insert(privacyLog).values({ at, action, memberId, actor, detail: JSON.stringify(detail) }).run();
}

/** Everything classbot holds about one member, as plain data (a data-subject access request). */
export function exportMember(store: Store, memberId: number, actor: string, now: number) {
  const db = typed(store);
  const data = {
    exportedAt: new Date(now).toISOString(),
    member: db.select().from(members).where(eq(members.id, memberId)).get(),
    groups: db
      .select({ name: groups.name, playbookId: groups.playbookId, role: groupMembers.role, joinedAt: groupMembers.joinedAt })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.id, groupMembers.groupId))
      .where(eq(groupMembers.memberId, memberId))
      .all(),
    messages: db
      .select({ sentAt: messages.sentAt, chatType: messages.chatType, text: messages.text, worryLabel: messages.worryLabel })
      .from(messages)
      .where(eq(messages.memberId, memberId))
      .orderBy(asc(messages.sentAt))
      .all(),
    checkins: db
      .select({ playbookId: checkins.playbookId, gameId: checkins.gameId, day: checkins.day, kind: checkins.kind, amount: checkins.amount })
      .from(checkins)
      .where(eq(checkins.memberId, memberId))
      .orderBy(asc(checkins.day))
      .all(),
    awards: db
      .select({ playbookId: checkinAwards.playbookId, gameId: checkinAwards.gameId, kind: checkinAwards.kind, name: checkinAwards.name, day: checkinAwards.day })
      .from(checkinAwards)
      .where(eq(checkinAwards.memberId, memberId))
      .orderBy(asc(checkinAwards.day))
      .all(),
    followups: db
      .select({
        id: followups.id,
        playbookId: followups.playbookId,
        category: followups.category,
        status: followups.status,
        message: followups.message,
        openedAt: followups.openedAt,
        resolvedAt: followups.resolvedAt,
        rating: followups.rating,
      })
      .from(followups)
      .where(eq(followups.memberId, memberId))
      .orderBy(asc(followups.openedAt))
      .all(),
    settings: db.select({ leaderboardOptOut: memberSettings.leaderboardOptOut }).from(memberSettings).where(eq(memberSettings.memberId, memberId)).all(),
  };
  audit(store, 'export', memberId, actor, now, { messages: data.messages.length });
  return data;
}

/**
 * Erases a member's personal data: message texts, the name and the platform id (so a later
 * message starts a new member), settings and the texts of their follow-ups. Counts stay, without
 * anything that identifies the person, so past reports keep adding up.
 */
export function forgetMember(store: Store, memberId: number, actor: string, now: number) {
  const db = typed(store);
  return store.tx(() => {
    const summary = {
      messages: db.update(messages).set({ text: null }).where(and(eq(messages.memberId, memberId), isNotNull(messages.text))).run().changes,
      followups: db.update(followups).set({ message: null }).where(eq(followups.memberId, memberId)).run().changes,
      settings: db.delete(memberSettings).where(eq(memberSettings.memberId, memberId)).run().changes,
      member: db.update(members).set({ name: `已删除成员#${memberId}`, userId: `forgotten:${memberId}` }).where(eq(members.id, memberId)).run().changes,
    };
    audit(store, 'forget', memberId, actor, now, summary);
    return summary;
  });
}

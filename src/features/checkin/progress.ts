/**
 * What follows a change to a member's check-ins: their streak and total, the badges and levels
 * newly reached (recorded once each), and the class-wide celebration when everyone is done.
 */
import type { Services } from '../../engine/feature.js';
import type { MemberRef } from '../../model.js';
import type { Playbook } from '../../playbook/playbook.js';
import type { GroupConfig } from '../../playbook/schema.js';
import type { Store } from '../../store/db.js';
import { checkinCache } from './cache.js';
import { dayIsOver, gameText, type Game } from './game.js';
import { counts, memberDays, memberIdsBy, memberState, recordAward, rowsOnDay, type CheckinKind, type Slot } from './records.js';
import { classStreak } from './stats.js';
import { streakOf } from './streak.js';

/** A class of one or two is not a class to celebrate. */
const MIN_CLASS_SIZE = 3;

export interface Award {
  kind: 'badge' | 'level';
  name: string;
  threshold: number;
}

export interface Progress {
  streak: number;
  total: number;
  /** Awards reached by this change. */
  awards: Award[];
}

export interface Standing {
  days: Map<string, CheckinKind>;
  streak: number;
  total: number;
}

/** A member's days, current streak (today, while open, does not break it) and cumulative check-ins. */
export function standingOf(store: Store, pb: Playbook, game: Game, slot: Slot, today: string, now: number): Standing {
  const days = memberDays(store, slot);
  let total = 0;
  for (const kind of days.values()) if (counts(kind)) total++;
  return { days, streak: streakOf(pb, game, days, today, !dayIsOver(pb, game, today, now)), total };
}

/** Streak, total and newly reached awards (recorded here) of a member as of `today`. */
export function progressOf(store: Store, pb: Playbook, game: Game, slot: Slot, today: string, now: number): Progress {
  const { days, earliest, total } = memberState(store, slot);
  const streak = streakOf(pb, game, days, today, !dayIsOver(pb, game, today, now), earliest);
  const candidates: Award[] = [
    ...game.badges.filter((b) => b.days <= streak).map((b) => ({ kind: 'badge' as const, name: b.name, threshold: b.days })),
    ...game.levels.filter((l) => l.checkins <= total).map((l) => ({ kind: 'level' as const, name: l.name, threshold: l.checkins })),
  ];
  const awards = candidates.filter((a) => recordAward(store, slot, { ...a, day: today }, now));
  return { streak, total, awards };
}

/** The lines announcing awards, from templates. */
export function awardLines(pb: Playbook, game: Game, name: string, awards: Award[]): string[] {
  return awards.map((a) =>
    a.kind === 'badge'
      ? gameText(pb, game, 'checkin_badge', { name, badge: a.name, days: a.threshold })
      : gameText(pb, game, 'checkin_level', { name, level: a.name, checkins: a.threshold }),
  );
}

/** Announces awards reached outside a check-in reply (staff corrections) in the class group, outside quiet hours. */
export function announceAwards(services: Services, pb: Playbook, game: Game, group: GroupConfig, member: MemberRef & { memberId: number }, awards: Award[]): void {
  for (const a of awards) {
    services.messenger.toGroup(pb, group, awardLines(pb, game, member.name, [a])[0]!, {
      key: `checkin:award:${pb.id}:${game.id}:${group.key}:${member.memberId}:${a.kind}:${a.threshold}`,
      cause: 'checkin',
      quiet: true,
      mentions: [{ id: member.id, name: member.name }],
    });
  }
}

/** Celebrates in the group (outside quiet hours), once a day, when every member has checked in or is excused on `day`. */
export function celebrateIfComplete(services: Services, pb: Playbook, game: Game, group: GroupConfig, day: string): void {
  if (!game.classStreak) return;
  const { store } = services;
  // Runs on every check-in, and nearly always someone has yet to: a member of the class as last
  // read who has no row settles it without a query; only when they all have one is it read again.
  const rows = rowsOnDay(store, pb.id, game.id, group.key, day);
  if (rows.size < MIN_CLASS_SIZE) return;
  const cache = checkinCache(store);
  if (someoneWithout(cache.knownMembers(pb, group.key, day), rows)) return;
  const members = memberIdsBy(store, pb, group.key, day);
  cache.setMembers(pb, group.key, day, members);
  if (members.length < MIN_CLASS_SIZE || someoneWithout(members, rows)) return;
  const days = classStreak(store, pb, game, group.key, day, false);
  if (days < 1) return;
  services.messenger.toGroup(pb, group, gameText(pb, game, 'checkin_class_streak', { days }), {
    key: `checkin:class:${pb.id}:${game.id}:${group.key}:${day}`,
    cause: 'checkin',
    quiet: true,
  });
}

/** Whether one of `members` has no row; the one found moves to the front, to be found first next time. */
function someoneWithout(members: number[], rows: ReadonlyMap<number, CheckinKind>): boolean {
  for (let i = 0; i < members.length; i++) {
    const id = members[i]!;
    if (rows.has(id)) continue;
    members[i] = members[0]!;
    members[0] = id;
    return true;
  }
  return false;
}

/**
 * What every check-in asks, kept in memory after the first read so a check-in costs its INSERT and
 * little else: who has a row on a game day, each member's days and the awards known to be recorded,
 * and the members of each class as last read. Only records.ts writes check-ins, and it updates these
 * as it writes; rows changed by another process, or undone by a rolled-back message, are dropped
 * through forgetCheckinCaches() (the feature's forgetCaches hook, which the engine calls then).
 */
import type { Database } from 'better-sqlite3';
import type { Playbook } from '../../playbook/playbook.js';
import type { Store } from '../../store/db.js';
import type { CheckinKind } from './records.js';

export interface MemberState {
  /** Every day the member has a row on, with its kind. */
  days: Map<string, CheckinKind>;
  /** The earliest of `days`, where a streak walk stops; null when there are none. */
  earliest: string | null;
  /** Counting check-ins, all time. */
  total: number;
  /** Awards ('kind:threshold') known to be in the database, so they are not inserted again. */
  awards: Set<string> | null;
}

/** Bounds on what is kept (oldest first out): a school's worth of classes, not a leak. */
const MAX_DAYS = 10_000;
const MAX_MEMBERS = 20_000;
const MAX_CLASSES = 10_000;

class CheckinCache {
  /** Per (playbook, game, group, day): member → kind of their row. */
  private readonly days = new Map<string, Map<number, CheckinKind>>();
  /** Per (playbook, game, group, member). */
  private readonly members = new Map<string, MemberState>();
  /** Per (playbook, group): the class's members joined by `day`, as last read. */
  private readonly classes = new Map<string, { pb: Playbook; day: string; members: number[] }>();

  constructor(readonly generation: number) {}

  dayRows(key: string, load: () => Map<number, CheckinKind>): Map<number, CheckinKind> {
    return this.days.get(key) ?? remember(this.days, key, load(), MAX_DAYS);
  }

  /** The day's rows when they are already in memory. */
  cachedDayRows(key: string): Map<number, CheckinKind> | undefined {
    return this.days.get(key);
  }

  member(key: string, load: () => MemberState): MemberState {
    return this.members.get(key) ?? remember(this.members, key, load(), MAX_MEMBERS);
  }

  cachedMember(key: string): MemberState | undefined {
    return this.members.get(key);
  }

  /**
   * Members of a class as last read, for a day up to `day`. Within this process a class only grows
   * (members join by posting; the staff are fixed per playbook version), so they are all members on
   * `day` too: while one of them has no row, someone is missing, and the class need not be read.
   * The caller may reorder the list.
   */
  knownMembers(pb: Playbook, groupKey: string, day: string): number[] {
    const c = this.classes.get(`${pb.id}\0${groupKey}`);
    return c && c.pb === pb && c.day <= day ? c.members : [];
  }

  setMembers(pb: Playbook, groupKey: string, day: string, members: number[]): void {
    const key = `${pb.id}\0${groupKey}`;
    const c = this.classes.get(key);
    if (c && c.pb === pb && c.day > day) return;
    this.classes.delete(key);
    remember(this.classes, key, { pb, day, members }, MAX_CLASSES);
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
  return value;
}

/** Bumped to drop every connection's cache (the hook has no store to name). */
let generation = 0;
const caches = new WeakMap<Database, CheckinCache>();

export function checkinCache(store: Store): CheckinCache {
  let c = caches.get(store.sqlite);
  if (!c || c.generation !== generation) {
    c = new CheckinCache(generation);
    caches.set(store.sqlite, c);
  }
  return c;
}

export function forgetCheckinCaches(): void {
  generation++;
}

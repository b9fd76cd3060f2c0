/**
 * The weekly (or any range's) activity report as data: every figure of every format comes from
 * here, so the renderers only lay it out. Built from indexed, time-bounded queries; reads only.
 */
import { CATEGORIES } from '../features/followups/schema.js';
import { DEFAULT_MESSAGES } from '../messages.js';
import { text, type Playbook } from '../playbook/playbook.js';
import type { Store } from '../store/db.js';
import { ActivityQueries, type Activity, type Inactive, type WorryCount } from './activity.js';
import { bucketize, checkinFigures, type AwardCount, type BrokenStreak, type CheckinDay, type Checkins } from './checkins.js';
import { FollowupQueries, followupItem, summarizeFollowups, type EscalationStep, type FollowupItem, type FollowupRow, type Followups } from './followups.js';
import { pseudonym } from './pseudonym.js';
import { previousRange, type ReportRange } from './range.js';
import { ReminderQueries, type Reminders } from './reminders.js';
import { Scopes, type GroupScope } from './scope.js';
import type { Status } from '../features/followups/repo.js';
import { ratio } from './stats.js';

export type { Activity, Checkins, Followups, Reminders, WorryCount };

/** A member who needs care, with every reason that applies. */
export interface CareEntry {
  memberId: number;
  name: string;
  playbookId: string;
  groupKey: string;
  groupName: string;
  /** Days without posting in the group (at least INACTIVE_DAYS), or null when active. */
  inactiveDays: number | null;
  lastSeen: string | null;
  brokenStreaks: Omit<BrokenStreak, 'memberId'>[];
  openFollowups: { id: number; category: string; status: string; openedAt: number }[];
}

export interface GroupReport {
  /** Null in the all-groups section. */
  playbookId: string | null;
  playbookName: string;
  groupKey: string | null;
  groupName: string;
  activity: Activity;
  checkins: Checkins;
  reminders: Reminders;
  /** Worried messages by category, in order of urgency. */
  worried: WorryCount[];
  followups: Followups;
  care: CareEntry[];
}

export interface ReportModel {
  range: ReportRange;
  previous: ReportRange;
  generatedAt: number;
  pseudonymized: boolean;
  playbooks: { id: string; name: string; timezone: string }[];
  /** Names of follow-up categories and statuses (the playbook's own when the report has one). */
  labels: { category: Record<string, string>; status: Record<string, string> };
  /** One section per class group, in playbook order. */
  groups: GroupReport[];
  /** All the groups together. */
  all: GroupReport;
}

export interface ReportOptions {
  /** The report's "now": deadlines still ahead and days still open are not counted as missed. */
  now: number;
  /** When set, every person's name is replaced by a stable pseudonym (see pseudonym.ts). */
  pseudonymSecret?: string;
  /** Called after each group, for a progress line on long runs. */
  onProgress?(done: number, total: number, group: string): void;
}

/** Category order of worried messages and follow-ups: most urgent first. */
export const CATEGORY_ORDER: readonly string[] = CATEGORIES;

export function buildReport(store: Store, playbooks: Playbook[], range: ReportRange, opts: ReportOptions): ReportModel {
  const previous = previousRange(range);
  const scopes = new Scopes(store);
  const activityQ = new ActivityQueries(store);
  const followupQ = new FollowupQueries(store);
  const reminderQ = new ReminderQueries(store);
  const secret = opts.pseudonymSecret;
  const memberName = (id: number, name: string) => (secret ? pseudonym(secret, 'member', id) : name);
  const staffName = (name: string | null) => (name && secret ? pseudonym(secret, 'staff', name) : name);

  const all = playbooks.flatMap((pb) => pb.groups.map((g) => scopes.scope(pb, g, range, previous, opts.now)));
  const start = Math.min(...all.map((s) => s.start));
  const end = Math.max(...all.map((s) => s.end));
  const sentReminders = all.length ? reminderQ.sent(start, end) : [];
  const changed = all.length ? followupQ.changedBetween(start, end, playbooks) : [];
  const stillOpen = playbooks.flatMap((pb) => {
    const own = all.find((s) => s.playbook === pb);
    return own ? followupQ.openAt(pb.id, own.end, changed) : [];
  });
  const escalations = all.length ? followupQ.escalationsBetween(start, end) : new Map<number, EscalationStep[]>();
  // Statuses as they stood at the end of the period (the playbook's: time zones differ), not today's.
  const endOf = new Map(all.map((s) => [s.playbook.id, s.end]));
  const statusAt = new Map<number, Status>();
  for (const pb of playbooks) {
    const mine = [...changed, ...stillOpen].filter((f) => f.playbookId === pb.id).map((f) => f.id);
    if (endOf.has(pb.id)) for (const [id, st] of followupQ.statusesAt(mine, endOf.get(pb.id)!)) statusAt.set(id, st);
  }
  const statusOf = (f: FollowupRow) => statusAt.get(f.id) ?? f.status;
  const names = memberNames(store, [...changed, ...stillOpen].map((f) => f.memberId));

  // Follow-ups belong to the group they came from; those from direct chats to the parent's group.
  const scopeOf = (f: FollowupRow): GroupScope | undefined => {
    const own = all.filter((s) => s.playbook.id === f.playbookId);
    return own.find((s) => f.groupId !== null && s.rowIds.includes(f.groupId)) ?? own.find((s) => s.roster.some((m) => m.memberId === f.memberId)) ?? own[0];
  };
  const items = new Map<GroupScope, FollowupItem[]>(all.map((s) => [s, []]));
  const open = new Map<GroupScope, FollowupRow[]>(all.map((s) => [s, []]));
  for (const f of changed) {
    const scope = scopeOf(f);
    if (!scope) continue;
    const item = followupItem(f, statusOf(f), memberName(f.memberId, names.get(f.memberId) ?? '?'), staffName(f.assignee), escalations.get(f.id) ?? [], scope.start, scope.end, opts.now);
    if (item) items.get(scope)!.push(item);
  }
  for (const f of stillOpen) open.get(scopeOf(f)!)!.push({ ...f, status: statusOf(f) });

  const groups = all.map((scope, i) => {
    const { activity, worried } = activityQ.activity(scope);
    const checkins = checkinFigures(store, scope, opts.now);
    const nameOf = (memberId: number) => memberName(memberId, scope.roster.find((m) => m.memberId === memberId)?.name ?? names.get(memberId) ?? '?');
    const care = careList(scope, nameOf, activityQ.inactive(scope), checkins.broken, open.get(scope)!);
    for (const row of checkins.checkins.grid) row.name = nameOf(row.memberId);
    const report: GroupReport = {
      playbookId: scope.playbook.id,
      playbookName: scope.playbook.name,
      groupKey: scope.group.key,
      groupName: scope.group.name,
      activity,
      checkins: checkins.checkins,
      reminders: reminderQ.reminders(scope, sentReminders),
      worried: byCategory(worried),
      followups: summarizeFollowups(items.get(scope)!, CATEGORY_ORDER),
      care,
    };
    opts.onProgress?.(i + 1, all.length, `${scope.playbook.name} · ${scope.group.name}`);
    return report;
  });

  return {
    range,
    previous,
    generatedAt: opts.now,
    pseudonymized: secret !== undefined,
    playbooks: playbooks.map((pb) => ({ id: pb.id, name: pb.name, timezone: pb.timezone })),
    labels: {
      category: Object.fromEntries(CATEGORIES.map((c) => [c, label(playbooks, `followup_category_${c}`)])),
      status: Object.fromEntries(STATUSES.map((st) => [st, label(playbooks, `followup_status_${st}`)])),
    },
    groups,
    all: combine(groups),
  };
}

const STATUSES = ['open', 'claimed', 'resolved', 'dismissed'] as const;

/** A text of the one playbook reported on, or the default when the report spans several. */
function label(playbooks: Playbook[], key: string): string {
  return playbooks.length === 1 ? text(playbooks[0]!, key) : ((DEFAULT_MESSAGES as Record<string, string>)[key] ?? key);
}

/** Names of members not met through a group roster (parents of direct-chat follow-ups). */
function memberNames(store: Store, ids: number[]): Map<number, string> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = store.sqlite.prepare(`SELECT id, name FROM members WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(unique)) as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Members of a group who need care, each once with every reason, most reasons first, then the longest silence. */
function careList(scope: GroupScope, nameOf: (memberId: number) => string, inactive: Inactive[], broken: BrokenStreak[], open: FollowupRow[]): CareEntry[] {
  const care = new Map<number, CareEntry>();
  const entry = (memberId: number): CareEntry => {
    let e = care.get(memberId);
    if (!e) {
      e = {
        memberId,
        name: nameOf(memberId),
        playbookId: scope.playbook.id,
        groupKey: scope.group.key,
        groupName: scope.group.name,
        inactiveDays: null,
        lastSeen: null,
        brokenStreaks: [],
        openFollowups: [],
      };
      care.set(memberId, e);
    }
    return e;
  };
  for (const m of inactive) Object.assign(entry(m.memberId), { inactiveDays: m.days, lastSeen: m.lastSeen });
  for (const { memberId, ...b } of broken) entry(memberId).brokenStreaks.push(b);
  for (const f of open) entry(f.memberId).openFollowups.push({ id: f.id, category: f.category, status: f.status, openedAt: f.openedAt });
  return [...care.values()].sort(byNeed);
}

/** Most reasons first, then the longest silence. */
function byNeed(a: CareEntry, b: CareEntry): number {
  const reasons = (e: CareEntry) => (e.inactiveDays !== null ? 1 : 0) + e.brokenStreaks.length + e.openFollowups.length;
  return reasons(b) - reasons(a) || (b.inactiveDays ?? 0) - (a.inactiveDays ?? 0) || a.memberId - b.memberId;
}

function byCategory(counts: WorryCount[]): WorryCount[] {
  const rank = (c: string) => (CATEGORY_ORDER.includes(c) ? CATEGORY_ORDER.indexOf(c) : CATEGORY_ORDER.length);
  return [...counts].sort((a, b) => rank(a.category) - rank(b.category) || a.category.localeCompare(b.category));
}

const sum = <T>(list: T[], f: (x: T) => number) => list.reduce((a, x) => a + f(x), 0);

/** The all-groups section: counts add up; rates, medians and percentiles are recomputed from the parts. */
export function combine(groups: GroupReport[]): GroupReport {
  const dates = [...new Set(groups.flatMap((g) => g.checkins.days.map((d) => d.date)))].sort();
  const days: CheckinDay[] = dates.map((date) => {
    const parts = groups.flatMap((g) => g.checkins.days.filter((d) => d.date === date));
    // A day's rate is over the groups whose game ran that day.
    const ran = parts.filter((d) => d.gameDay);
    const counted = ran.length ? ran : parts;
    return {
      date,
      gameDay: ran.length > 0,
      members: sum(counted, (d) => d.members),
      checkedIn: sum(counted, (d) => d.checkedIn),
      excused: sum(counted, (d) => d.excused),
    };
  });
  const checkins = sum(groups, (g) => g.checkins.checkins);
  const expected = sum(groups, (g) => g.checkins.expected);
  const awards = new Map<string, AwardCount>();
  for (const a of groups.flatMap((g) => g.checkins.awards)) {
    const key = `${a.kind}|${a.name}`;
    awards.set(key, { ...a, members: (awards.get(key)?.members ?? 0) + a.members });
  }
  const worried = new Map<string, number>();
  for (const w of groups.flatMap((g) => g.worried)) worried.set(w.category, (worried.get(w.category) ?? 0) + w.messages);
  const act = (f: (a: Activity['previous']) => number) => ({
    current: sum(groups, (g) => f(g.activity)),
    previous: sum(groups, (g) => f(g.activity.previous)),
  });
  const members = act((a) => a.members);
  const active = act((a) => a.activeMembers);
  const messages = act((a) => a.messages);
  return {
    playbookId: null,
    playbookName: '全部班级',
    groupKey: null,
    groupName: '全部群',
    activity: {
      members: members.current,
      activeMembers: active.current,
      messages: messages.current,
      previous: { members: members.previous, activeMembers: active.previous, messages: messages.previous },
    },
    checkins: {
      played: groups.some((g) => g.checkins.played),
      days,
      checkins,
      expected,
      completionRate: ratio(checkins, expected),
      streaks: bucketize(groups.flatMap((g) => g.checkins.streaks.map((b) => ({ streak: b.min, members: b.members })))),
      awards: [...awards.values()],
      grid: groups.flatMap((g) => g.checkins.grid),
    },
    reminders: { sent: sum(groups, (g) => g.reminders.sent), checkinsAfter: sum(groups, (g) => g.reminders.checkinsAfter) },
    worried: byCategory([...worried].map(([category, n]) => ({ category, messages: n }))),
    followups: summarizeFollowups(groups.flatMap((g) => g.followups.items), CATEGORY_ORDER),
    care: groups.flatMap((g) => g.care),
  };
}

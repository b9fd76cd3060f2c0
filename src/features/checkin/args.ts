/**
 * Arguments of the check-in commands as people type them: dates (昨天, 11-24, 11月24日,
 * 2026-11-24), day counts (3天), numbers, game names, and members by their display name.
 */
import type { MemberRef } from '../../model.js';
import { addDays, daysBetween, isValidDate } from '../../time.js';
import type { Game } from './game.js';
import type { GroupMember } from './records.js';

const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2, 大前天: -3, 明天: 1, 后天: 2 };

/** Full-width digits and punctuation to ASCII, so ３０分钟 reads as 30分钟. */
export function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * A date argument as a local date, relative to `today`; a month and day without a year is the
 * nearest such date that is not more than a month ahead. Null when it is not a date.
 */
export function parseDay(raw: string, today: string): string | null {
  const s = halfWidth(raw.trim());
  if (s in RELATIVE) return addDays(today, RELATIVE[s]!);
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(s);
  if (m) return toDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(s);
  if (!m) return null;
  const year = Number(today.slice(0, 4));
  const date = toDate(year, Number(m[1]), Number(m[2]));
  if (date && daysBetween(today, date) > 31) return toDate(year - 1, Number(m[1]), Number(m[2]));
  return date;
}

function toDate(y: number, m: number, d: number): string | null {
  const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

/** 'N天' / 'N日' → N. */
export function parseDayCount(raw: string): number | null {
  const m = /^(\d{1,2})\s*[天日]$/.exec(halfWidth(raw.trim()));
  return m ? Number(m[1]) : null;
}

/** Picks a game named (by name or id) among the args; returns it and the other args. */
export function takeGame(games: readonly Game[], args: string[]): { game: Game | null; rest: string[] } {
  const i = args.findIndex((a) => games.some((g) => g.name === a || g.id === a));
  if (i < 0) return { game: null, rest: args };
  return { game: games.find((g) => g.name === args[i] || g.id === args[i])!, rest: args.filter((_, j) => j !== i) };
}

export type MemberMatch =
  | { ok: true; member: GroupMember; groupKey: string; rest: string[] }
  | { ok: false; problem: 'missing' | 'unknown' | 'ambiguous'; query: string; names: string[] };

/**
 * Finds the member a staff command names, among the members of the given groups: by an
 * @-mention, else by the longest run of leading args that is someone's exact display name, else by
 * a unique part of a name. Several candidates → ambiguous (ask), none → unknown.
 */
export function resolveMember(candidates: { groupKey: string; groupName: string; members: GroupMember[] }[], args: string[], mentions: MemberRef[]): MemberMatch {
  const all = candidates.flatMap((c) => c.members.map((member) => ({ member, groupKey: c.groupKey, groupName: c.groupName })));
  const label = (x: (typeof all)[number]) => (candidates.length > 1 ? `${x.member.name}（${x.groupName}）` : x.member.name);
  const strip = (a: string) => a.replace(/^[@＠]/, '');
  const done = (found: typeof all, query: string, rest: string[]): MemberMatch =>
    found.length === 1
      ? { ok: true, member: found[0]!.member, groupKey: found[0]!.groupKey, rest }
      : { ok: false, problem: found.length ? 'ambiguous' : 'unknown', query, names: found.map(label) };

  if (mentions.length > 0) {
    const mentioned = mentions[0]!;
    const rest = args.filter((a) => strip(a) !== mentioned.name);
    return done(all.filter((x) => x.member.id === mentioned.id), mentioned.name, rest);
  }
  if (args.length === 0) return { ok: false, problem: 'missing', query: '', names: [] };
  for (let k = args.length; k >= 1; k--) {
    const query = strip(args.slice(0, k).join(' '));
    const exact = all.filter((x) => x.member.name === query);
    if (exact.length > 0) return done(exact, query, args.slice(k));
  }
  const query = strip(args[0]!);
  return done(query ? all.filter((x) => x.member.name.includes(query)) : [], query, args.slice(1));
}

/**
 * Check-in games compiled once per playbook (regexes, cron specs, day sets), and what a local
 * date means for a game: whether it runs, and whether it is over at a given instant.
 */
import { compileCron, type CronSpec } from '../../playbook/cron.js';
import { text, type Playbook } from '../../playbook/playbook.js';
import { renderTemplate, type TemplateVars } from '../../template.js';
import { localParts } from '../../time.js';
import { windowMinute, type CheckinGameData } from './schema.js';
import { oncePer } from '../../memo.js';
import { normalise } from '../../detector/normalise.js';
import { compilePattern, type Pattern } from '../../playbook/pattern.js';

export interface Game {
  id: string;
  name: string;
  groups: string[];
  keywords: string[];
  regex: Pattern | null;
  media: Set<'image' | 'file'>;
  /** Minutes since local midnight: [start, end). */
  start: number;
  end: number;
  weekdays: Set<number>;
  calendar: boolean;
  from?: string;
  to?: string;
  number: { label: string; units: string[]; regex: Pattern; min?: number; max?: number; example?: string } | null;
  makeup: { perMonth: number; withinDays: number } | null;
  /** Ascending thresholds. */
  badges: { days: number; name: string }[];
  levels: { checkins: number; name: string }[];
  leaderboard: { cron: CronSpec; metric: 'count' | 'streak'; top: number } | null;
  classStreak: boolean;
  inactivity: { afterDays: number; cron: CronSpec | null } | null;
  messages: Record<string, string>;
  /** What a check-in's own words are (its pattern and number), for telling a note beside them. */
  ownWords: Pattern[];
  /** gameDay per local date, remembered (the calendar and the game do not change). */
  gameDays: Map<string, GameDay>;
}

interface Compiled {
  games: Game[];
  byGroup: Map<string, Game[]>;
}

const compiled = oncePer((pb: Playbook): Compiled => ({
  games: (pb.data.checkin ?? []).map((g) => compileGame(g, pb.groups.map((x) => x.key))),
  byGroup: new Map(),
}));

/** The playbook's games, compiled on first use. */
export function gamesOf(pb: Playbook): Game[] {
  return compiled(pb).games;
}

/** Games played in a class group, in playbook order (worked out once per group). */
export function gamesIn(pb: Playbook, groupKey: string): readonly Game[] {
  const c = compiled(pb);
  let games = c.byGroup.get(groupKey);
  if (!games) c.byGroup.set(groupKey, (games = c.games.filter((g) => g.groups.includes(groupKey))));
  return games;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileGame(g: CheckinGameData, allGroups: string[]): Game {
  const req = g.require;
  const units = [...(req?.units ?? [])].sort((a, b) => b.length - a.length);
  const regex = g.trigger.pattern ? compilePattern(g.trigger.pattern, { ignoreCase: true }) : null;
  const numberRegex = req ? compilePattern(`(\\d+(?:\\.\\d+)?)${units.length ? `\\s*(?:${units.map(escapeRegex).join('|')})` : ''}`, { ignoreCase: true }) : null;
  return {
    id: g.id,
    name: g.name,
    groups: g.groups ?? allGroups,
    // Matched against the normalised message (see checkin.ts), so written the same way: 練字 is 练字.
    keywords: g.trigger.keywords.map(normalise),
    regex,
    media: new Set(g.trigger.media),
    start: windowMinute(g.window.start),
    end: windowMinute(g.window.end),
    weekdays: new Set(g.days),
    calendar: g.calendar,
    ...(g.from ? { from: g.from } : {}),
    ...(g.to ? { to: g.to } : {}),
    number:
      req && numberRegex
        ? {
            label: req.number,
            units: req.units,
            regex: numberRegex,
            ...(req.min !== undefined ? { min: req.min } : {}),
            ...(req.max !== undefined ? { max: req.max } : {}),
            ...(req.example ? { example: req.example } : {}),
          }
        : null,
    makeup: g.makeup && g.makeup.per_month > 0 ? { perMonth: g.makeup.per_month, withinDays: g.makeup.within_days } : null,
    badges: [...g.badges].sort((a, b) => a.days - b.days),
    levels: [...g.levels].sort((a, b) => a.checkins - b.checkins),
    leaderboard: g.leaderboard ? { cron: compileCron(g.leaderboard.cron), metric: g.leaderboard.metric, top: g.leaderboard.top } : null,
    classStreak: g.class_streak,
    inactivity: g.inactivity ? { afterDays: g.inactivity.after_days, cron: g.inactivity.cron ? compileCron(g.inactivity.cron) : null } : null,
    messages: g.messages,
    ownWords: [regex, numberRegex].filter((r) => r !== null),
    gameDays: new Map(),
  };
}

export type GameDay = { runs: true } | { runs: false; reason: string };

/** Whether the game runs on a local date: its weekdays (调休-aware), term dates and holidays. */
export function gameDay(pb: Playbook, game: Game, date: string): GameDay {
  let day = game.gameDays.get(date);
  if (!day) {
    day = judgeDay(pb, game, date);
    if (game.gameDays.size >= 5_000) game.gameDays.clear();
    game.gameDays.set(date, day);
  }
  return day;
}

function judgeDay(pb: Playbook, game: Game, date: string): GameDay {
  if ((game.from && date < game.from) || (game.to && date > game.to)) return { runs: false, reason: text(pb, 'checkin_reason_off_term') };
  const day = pb.calendar.day(date);
  if (game.calendar && day.skipped) return { runs: false, reason: day.reason ?? text(pb, 'checkin_reason_holiday') };
  if (!game.weekdays.has(day.scheduleWeekday)) return { runs: false, reason: text(pb, 'checkin_reason_rest_day') };
  return { runs: true };
}

export function runsOn(pb: Playbook, game: Game, date: string): boolean {
  return gameDay(pb, game, date).runs;
}

/** Whether a local date's window has closed by instant `now` (earlier dates always have). */
export function dayIsOver(pb: Playbook, game: Game, date: string, now: number): boolean {
  const p = localParts(now, pb.timezone);
  return date < p.date || (date === p.date && p.minuteOfDay >= game.end);
}

/** The game's override of a text, else the playbook's (which falls back to the default). */
export function gameText(pb: Playbook, game: Game, key: string, vars: TemplateVars = {}): string {
  const own = game.messages[key];
  const all = { game: game.name, ...vars };
  return own === undefined ? text(pb, key, all) : renderTemplate(own, { class: pb.name, assistant: pb.assistantName, ...all });
}


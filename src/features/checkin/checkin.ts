/**
 * A check-in message in a class group: which game it is for, whether it counts (game day, window,
 * required number, once a day), and the reply with today's count, the streak and any award.
 */
import type { MessageContext } from '../../engine/feature.js';
import type { InboundMessage } from '../../model.js';
import type { Playbook } from '../../playbook/playbook.js';
import { HOUR, formatHHMM, localParts } from '../../time.js';
import { normalise } from '../../detector/normalise.js';
import { looksLikeQuestion } from '../faq.js';
import { halfWidth } from './args.js';
import { gameDay, gamesIn, gameText, type Game } from './game.js';
import { keywordHit } from './intent.js';
import { awardLines, celebrateIfComplete, progressOf } from './progress.js';
import { counts, recordCheckin, rowsOnDay } from './records.js';
import { slotOf } from './stats.js';

/** How a message triggered a game, most specific first: its pattern, a keyword, or only an image or file. */
const SPECIFICITY = ['pattern', 'keyword', 'media'] as const;
type TriggeredBy = (typeof SPECIFICITY)[number];

/** `normalised`: the message's text as the detector reads it (Simplified, half-width, lower case). */
function triggeredBy(game: Game, msg: InboundMessage, normalised: string): TriggeredBy | null {
  if (game.regex && (game.regex.test(msg.text) || game.regex.test(normalised))) return 'pattern';
  const hits = game.keywords.map((k) => keywordHit(normalised, k));
  // A question that mentions 打卡 ("打卡时间是几点？") is not a check-in.
  if (hits.includes('done') && !looksLikeQuestion(normalised)) return 'keyword';
  // Words that say it is not done yet (「还没打卡」「晚上再打卡」) say so of a photo beside them too.
  if (hits.includes('not_done')) return null;
  if (msg.elements.some((e) => (e.type === 'image' || e.type === 'file') && game.media.has(e.type))) return 'media';
  return null;
}

/**
 * When a check-in happened: the platform's send time, so a message sent at 23:59 and delivered
 * after midnight (or redelivered after an outage) counts for the day it was sent; times in the
 * future or implausibly old fall back to the receive time.
 */
function checkinInstant(msg: InboundMessage, now: number): number {
  return msg.timestamp <= now && msg.timestamp > now - 12 * HOUR ? msg.timestamp : now;
}

/** A note this long beside the check-in (after the trigger words and the number) is worth the detectors' look. */
const NOTE_CHARS = 4;

/** Whether the message says more than the check-in itself ("打卡 30分钟，孩子这两天咳嗽"). */
export function carriesNote(game: Game, text: string): boolean {
  let rest = normalise(text);
  for (const k of game.keywords) rest = rest.split(k).join('');
  for (const words of game.ownWords) rest = words.matcher(rest).replaceAll('');
  return rest.replace(/[\s\p{P}\p{S}\d]/gu, '').length >= NOTE_CHARS;
}

type NumberCheck = { ok: true; amount: number | null } | { ok: false; text: string };

function checkNumber(pb: Playbook, game: Game, msg: InboundMessage): NumberCheck {
  const req = game.number;
  if (!req) return { ok: true, amount: null };
  const unit = req.units[0] ?? '';
  const m = req.regex.exec(halfWidth(msg.text));
  if (!m) return { ok: false, text: gameText(pb, game, 'checkin_need_number', { label: req.label, example: req.example ?? `${game.name}打卡 30${unit}` }) };
  const amount = Number(m[1]);
  if (req.min !== undefined && amount < req.min) return { ok: false, text: gameText(pb, game, 'checkin_number_too_small', { label: req.label, min: req.min, unit }) };
  if (req.max !== undefined && amount > req.max) return { ok: false, text: gameText(pb, game, 'checkin_number_too_large', { label: req.label, max: req.max, unit }) };
  return { ok: true, amount };
}

/**
 * Handles a class-group message that is a check-in. Returns false (the next features see it) when
 * it is not one, when it is a photo that does not count (silent, so ordinary photos get no
 * replies), or when it was counted but carries a note the worry detector should read.
 */
export function handleCheckin(ctx: MessageContext): boolean {
  const { playbook: pb, group, msg, sender } = ctx;
  if (ctx.where !== 'class' || !group || sender.role === 'staff') return false;
  // The most specific trigger wins ("单词打卡 15个" is for the game with that pattern, not any "打卡"); then an open game; then file order.
  const games = gamesIn(pb, group.key);
  if (games.length === 0) return false;
  const normalised = normalise(msg.text);
  const matched: { game: Game; by: TriggeredBy }[] = [];
  for (const game of games) {
    const by = triggeredBy(game, msg, normalised);
    if (by) matched.push({ game, by });
  }
  if (matched.length === 0) return false;
  matched.sort((a, b) => SPECIFICITY.indexOf(a.by) - SPECIFICITY.indexOf(b.by));

  const at = localParts(checkinInstant(msg, ctx.now), pb.timezone);
  const day = at.date;
  const best = matched.filter((m) => m.by === matched[0]!.by);
  const open = best.find(({ game }) => gameDay(pb, game, day).runs && at.minuteOfDay >= game.start && at.minuteOfDay < game.end);
  const mention = { mentions: [{ id: sender.id, name: sender.name }], cause: 'checkin' };
  if (!open) {
    const { game, by } = matched[0]!;
    if (by === 'media') return false;
    const status = gameDay(pb, game, day);
    ctx.reply(
      status.runs
        ? gameText(pb, game, 'checkin_outside_window', { name: sender.name, start: formatHHMM(game.start), end: formatHHMM(game.end) })
        : gameText(pb, game, 'checkin_rest_day', { name: sender.name, reason: status.reason }),
      mention,
    );
    return true;
  }

  const { game, by } = open;
  const number = checkNumber(pb, game, msg);
  if (!number.ok) {
    if (by === 'media') return false;
    ctx.reply(number.text, mention);
    return true;
  }
  const { store } = ctx.services;
  const slot = slotOf(pb, game, group.key, sender.memberId);
  const rows = rowsOnDay(store, pb.id, game.id, group.key, day);
  // A member already counted today needs no INSERT to learn that it changes nothing.
  const counted = !counts(rows.get(sender.memberId)) && recordCheckin(store, slot, { day, kind: 'normal', amount: number.amount, messageId: ctx.messageId, now: ctx.now });
  let count = 0;
  for (const kind of rows.values()) if (counts(kind)) count++;
  if (!counted) {
    if (by !== 'media') ctx.reply(gameText(pb, game, 'checkin_already', { name: sender.name, count }), mention);
    return true;
  }
  const progress = progressOf(store, pb, game, slot, day, ctx.now);
  const detail = number.amount === null ? '' : gameText(pb, game, 'checkin_detail', { amount: number.amount, unit: game.number!.units[0] ?? '' });
  const vars = { name: sender.name, count, streak: progress.streak, total: progress.total, detail };
  ctx.reply([gameText(pb, game, 'checkin_ok', vars), ...awardLines(pb, game, sender.name, progress.awards)].join('\n'), mention);
  celebrateIfComplete(ctx.services, pb, game, group, day);
  return !carriesNote(game, msg.text);
}

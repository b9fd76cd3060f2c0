/**
 * Whether a parent's message asks for leave (请假), for which days, and why. Read on the detector's
 * normalised text, so 請假 and 聽日請假 read as 请假 and 明天请假.
 */
import { normalise } from '../../detector/normalise.js';
import { looksLikeQuestion } from '../faq.js';
import { namedDays } from './days.js';

/** 请假, 请个假, 请两天假, 请一天的假, 请病假, 告假. */
const LEAVE = /请\s*(?:(?:\d{1,2}|[一两二三四五六七八九十半几]{1,3})\s*(?:个)?(?:整)?(?:天|日|周|星期)(?:的)?|个|一下)?\s*(?:病|事)?假|告假/;
/** The leave is asked about, not asked for: 怎么请假, 请假要什么手续, 请假会扣分吗. */
const ABOUT_LEAVE = /怎么|怎样|如何|流程|手续|规定|需要什么|要什么|找谁|在哪|哪里|影响|扣分|算不算|会不会|要不要/;
/** No leave wanted, or someone else's: 不用请假, 取消请假, 请过假, 请假的同学. */
const NOT_A_REQUEST = /不用请|不需要请|不请假|不请了|取消请假|没请假|请过假|上次请|之前请|请假的(?:同学|小朋友|孩子|人|学生)/;
/** Words that carry no reason: a salutation, the child, wanting, asking. */
const SALUTATION = /^(?:[\u4e00-\u9fff]{0,3}老师|老师好|您好|你好|助教|班主任|在吗)[呀啊哈~]*$/;
const FILLER = /^(?:因为|由于|我家|我们家|家里的|我们|孩子|小孩|宝宝|娃|他|她|这边|可以|能不能|能否|想要|要|想|需要|得|给|帮|跟您|和您|向您|所以|就|了|的|,)+|(?:所以|可以|一下|了|的|吗|呢|哈|啊|呀|,|要|想)+$/g;
/** A reason that asks the bot to wish the child well. */
const ILLNESS = /发烧|发热|烧|感冒|咳嗽|生病|病了|病假|不舒服|医院|看病|住院|打针|输液|拉肚子|腹泻|呕吐|吐了|疼|痛|过敏|水痘|流感|甲流|手术|受伤|骨折/;

export interface LeaveIntent {
  /** Local dates asked for, sorted. */
  days: string[];
  /** The parent named the days (else `start` was assumed). */
  explicit: boolean;
  /** Why, in the parent's words (normalised), or null. */
  reason: string | null;
  /** The reason is an illness or injury. */
  ill: boolean;
  /** Other clauses of the message that ask something (the leave does not answer them). */
  questions: string[];
}

const CLAUSE = /[,.!?;:，。！？；：、\n]+/;

function cutSpans(s: string, spans: [number, number][], offset: number): string {
  let out = '';
  let i = 0;
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    const from = a - offset;
    const to = b - offset;
    if (to <= 0 || from >= s.length) continue;
    out += s.slice(i, Math.max(i, from));
    i = Math.max(i, to);
  }
  return out + s.slice(i);
}

const clean = (s: string) => s.replace(FILLER, '').trim();

/**
 * The leave a message asks for, or null. `start` is the day assumed when none is named (today,
 * or tomorrow in the evening).
 */
export function readLeave(text: string, today: string, start: string): LeaveIntent | null {
  const n = normalise(text);
  const clauses: { text: string; at: number }[] = [];
  for (let at = 0, rest = n; rest.length > 0; ) {
    const m = CLAUSE.exec(rest);
    const end = m ? m.index : rest.length;
    if (end > 0) clauses.push({ text: rest.slice(0, end), at });
    const skip = end + (m ? m[0].length : 0);
    at += skip;
    rest = rest.slice(skip);
  }
  const leave = clauses.find((c) => LEAVE.test(c.text));
  if (!leave || ABOUT_LEAVE.test(leave.text) || NOT_A_REQUEST.test(leave.text)) return null;
  const { days, explicit, spans } = namedDays(n, today, start);
  const others = clauses.filter((c) => c !== leave && !SALUTATION.test(c.text));
  const questions = others.filter((c) => looksLikeQuestion(c.text)).map((c) => c.text);
  const m = LEAVE.exec(leave.text)!;
  const around = [leave.text.slice(0, m.index), leave.text.slice(m.index + m[0].length)].map((part, k) =>
    clean(cutSpans(part, spans, leave.at + (k === 0 ? 0 : m.index + m[0].length))),
  );
  const said = [...others.filter((c) => !looksLikeQuestion(c.text)).map((c) => clean(cutSpans(c.text, spans, c.at))), ...around].filter(
    (s) => [...s].length >= 2,
  );
  const reason = said.length ? [...said.join('，')].slice(0, 40).join('') : null;
  return { days, explicit, reason, ill: reason !== null && ILLNESS.test(reason), questions };
}

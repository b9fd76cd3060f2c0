/**
 * Whether a check-in keyword reports a check-in or only talks about one: 「又忘了打卡」「今天还没打卡」
 * are negated (the detector's negation scope, plus forgetting), 「晚上再打卡」「待会打卡」 are plans.
 * A negation in another clause (「打卡了，今天没偷懒」) or further away (「不容易啊终于打卡了」) is not about it.
 */
import { expandAlternatives } from '../../detector/compile.js';
import { negationBefore, scopeBefore } from '../../detector/scope.js';

/** Not done, besides the detector's 不 / 没 / 别 / 未. */
const NOT_DONE = ['忘了', '忘记'];
/** Phrases whose 没 / 不 negate nothing here (「没事打卡啦」). */
const NOT_NEGATING = ['没事', '没关系', '没问题', '不客气'];
/** Intentions and times to come; 补 is a plan only after a time (「晚上补打卡」), not in 「补打卡昨天的」. */
const PLANS = [
  ...'要 再 准备 打算 待会 待会儿 一会 一会儿 等下 等一下 等会 等会儿 晚点 晚些 稍后 回头 明天 明早 明晚 过会 过会儿'.split(' '),
  ...expandAlternatives('{晚上|今晚|下午|中午|晚点|晚些|回头}补'),
];
/** 「明天早上打卡」: a plan word may be a little further from the keyword than a negator. */
const PLAN_REACH = 4;

const negated = negationBefore(NOT_DONE, { phrases: NOT_NEGATING });
const planned = scopeBefore(PLANS, { reach: PLAN_REACH, phrases: NOT_NEGATING });

/** Whether the keyword occurrence at `at` of `normalised` is said to be done (not negated, not planned). */
function asserted(normalised: string, at: number): boolean {
  return !negated(normalised, at) && !planned(normalised, at);
}

/** Whether `normalised` mentions `keyword` (Simplified, like the text), and whether once as done. */
export function keywordHit(normalised: string, keyword: string): 'none' | 'done' | 'not_done' {
  let at = normalised.indexOf(keyword);
  if (at < 0) return 'none';
  for (; at >= 0; at = normalised.indexOf(keyword, at + keyword.length)) if (asserted(normalised, at)) return 'done';
  return 'not_done';
}

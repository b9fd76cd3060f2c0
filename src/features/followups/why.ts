import { EARLIER_TAG, factsOf } from '../../detector/explain.js';
import type { WorryLabel } from '../../detector/index.js';
import { text, type Playbook } from '../../playbook/playbook.js';

/** Detector tags for what raised the worry; the rest (已解决, 玩笑, 转发…) only lowered it. */
const CATEGORY_TAGS = new Set(['安全', '退费', '投诉', '情绪', '学业']);
const TONE_TAGS: Record<string, string> = { 担忧: 'followup_why_worry', 紧急: 'followup_why_urgent', 表情: 'followup_why_distress' };

const quoted = (terms: string[]) => terms.map((t) => `“${t}”`).join('');

/**
 * One plain sentence of why the detector opened a case, from its reason tags
 * (`安全:被…欺负`, `重复提问:3次`, `模型:安全(0.83)`), for staff who never read the lexicon: what the
 * message says (「提到孩子放学后没回家、联系不上孩子」, from the lexicon's `says`), else the words
 * that counted, then how it was said.
 */
export function whyText(pb: Playbook, reasons: readonly string[], category?: string): string {
  const facts = category ? factsOf(reasons, category as WorryLabel) : [];
  const cues = new Map<string, string[]>();
  const tone = new Map<string, string[]>();
  const more: string[] = [];
  let earlier = false;
  for (const reason of reasons) {
    const at = reason.indexOf(':');
    const tag = at < 0 ? reason : reason.slice(0, at);
    const value = at < 0 ? '' : reason.slice(at + 1);
    let m: RegExpExecArray | null;
    if (tag === EARLIER_TAG) earlier = true;
    else if (CATEGORY_TAGS.has(tag)) cues.set(tag, [...(cues.get(tag) ?? []), value]);
    else if (TONE_TAGS[tag] && !(facts.length && tag === '担忧')) tone.set(tag, [...(tone.get(tag) ?? []), value]);
    else if (tag === '重复提问' && (m = /\d+/.exec(value))) more.push(text(pb, 'followup_why_repeats', { times: m[0] }));
    else if (tag === '久未回复' && (m = /\d+/.exec(value))) more.push(text(pb, 'followup_why_waited', { minutes: m[0] }));
    else if (tag === '模型' && (m = /^(.+)\(([\d.]+)\)$/.exec(value))) more.push(text(pb, 'followup_why_model', { category: m[1]!, percent: Math.round(Number(m[2]) * 100) }));
  }
  const parts = [
    ...(facts.length
      ? [text(pb, 'followup_why_facts', { facts: facts.join('、') })]
      : [...cues].map(([c, terms]) => text(pb, 'followup_why_cues', { terms: quoted([...new Set(terms)].slice(0, 3)), category: c }))),
    ...(earlier ? [text(pb, 'followup_why_earlier')] : []),
    ...[...tone].map(([tag, terms]) => text(pb, TONE_TAGS[tag]!, { terms: quoted([...new Set(terms)].slice(0, 2)) })),
    ...more,
  ];
  return parts.length ? text(pb, 'followup_why', { parts: parts.join('，') }) : '';
}

/**
 * A calm question about a policy (「请问怎么退费？」「退费流程是怎样的」) is served by its FAQ answer,
 * not by a follow-up: the detector reads the topic word as worry, but nothing is wrong yet. Worry or
 * a demand besides the question (「我要退费」「老师一直不回消息」), a higher severity, or any safety
 * cue still opens one (the FAQ then answers the question clause too).
 */
import type { Detection } from '../../detector/index.js';
import type { Playbook } from '../../playbook/playbook.js';
import { clauseAnswer, clausesOf } from '../faq.js';
import { detectorFor } from './detect.js';
import { severityRank } from './schema.js';

const CALM_UP_TO = severityRank('medium');

export function isCalmFaqQuestion(pb: Playbook, text: string, verdict: Detection): boolean {
  if (verdict.label === 'safety' || severityRank(verdict.severity) > CALM_UP_TO) return false;
  let answered = false;
  for (const clause of clausesOf(text)) {
    if (clauseAnswer(pb, clause)) answered = true;
    else if (detectorFor(pb).detect(clause).label !== 'none') return false;
  }
  return answered;
}

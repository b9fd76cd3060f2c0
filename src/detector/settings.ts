/** The playbook's `detector:` block. Messages are Chinese: assistants edit playbooks. */
import { z } from 'zod';
import { GAP_MARK } from './compile.js';
import { WORRY_LABELS, type DetectorOptions, type WorryLabel } from './types.js';

const LABEL_WORDS = 'none（排除）/ academic（学业）/ wellbeing（情绪）/ complaint（投诉）/ refund（退费）/ safety（安全）';

const extraTermSchema = z.object({
  term: z.string({ error: '词条应为文本' })
    .trim()
    .min(1, { error: '词条不能为空' })
    .max(40, { error: '词条太长（最多 40 个字）' })
    .refine((t) => t.split(GAP_MARK).every((part) => part.trim().length > 0), { error: `间隔词条的每一段都不能为空（用“${GAP_MARK}”分隔，例如“说好的${GAP_MARK}呢”）` }),
  label: z.enum(WORRY_LABELS as [WorryLabel, ...WorryLabel[]], { error: `类别只能是 ${LABEL_WORDS}` }),
  weight: z.number({ error: '权重应为数字' }).min(0.1, { error: '权重至少 0.1' }).max(5, { error: '权重最多 5' }).optional(),
}).strict();

export const detectorSettingsSchema = z.object({
  sensitivity: z.enum(['cautious', 'balanced', 'quiet'], {
    error: '灵敏度只能是 cautious（谨慎，多提醒）、balanced（均衡）或 quiet（安静，少提醒）',
  }).default('balanced'),
  extra_terms: z.array(extraTermSchema, { error: 'extra_terms 应为列表' }).default([]),
}).strict();

export type DetectorSettings = z.infer<typeof detectorSettingsSchema>;

/** The playbook block as createDetector options. */
export function detectorOptions(settings: DetectorSettings): DetectorOptions {
  return {
    sensitivity: settings.sensitivity,
    extraTerms: settings.extra_terms.map((t) => ({ term: t.term, label: t.label, ...(t.weight === undefined ? {} : { weight: t.weight }) })),
  };
}

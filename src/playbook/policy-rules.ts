/**
 * The policy rules (data/policy/rules.yaml): settings that 双减 rules and local education bureaus
 * discourage in parent groups, with their sources. Read once; the schema needs their ids.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

export const POLICY_RULES_FILE = new URL('../../data/policy/rules.yaml', import.meta.url);

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z-]*$/),
  title: z.string().min(1),
  rule: z.string().min(1),
  sources: z.array(z.string().min(1)).min(1),
  advice: z.string().min(1),
});

export type PolicyRule = z.output<typeof ruleSchema>;

export const POLICY_RULES: readonly PolicyRule[] = z.array(ruleSchema).min(1).parse(parse(readFileSync(POLICY_RULES_FILE, 'utf8')));

export const POLICY_RULE_IDS = POLICY_RULES.map((r) => r.id) as [string, ...string[]];

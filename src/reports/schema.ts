/**
 * The playbook's `reports:` block: post last week's report to the staff group on a schedule.
 * Documented in playbooks/README.md. Must not import src/playbook/schema.ts (which imports it).
 */
import { isAbsolute, normalize } from 'node:path';
import { z } from 'zod';
import { cronExpression } from '../playbook/cron.js';

/** A relative path that stays inside the bot's working directory. */
const insideWorkDir = (p: string) => !isAbsolute(p) && !/^[A-Za-z]:/.test(p) && !normalize(p).split(/[\\/]/).includes('..');

export const reportsSchema = z.strictObject({
  /** When to post (5-field cron in the playbook's timezone); default Monday 08:00. */
  schedule: cronExpression.default('0 8 * * 1'),
  /** Replace members' names with stable pseudonyms in the posted summary. */
  pseudonymize: z.boolean().default(false),
  /** Where the posted week's full report file is written, under the bot's working directory. */
  dir: z
    .string()
    .min(1, { message: '请写一个目录，如 reports' })
    .refine(insideWorkDir, { message: '只能是机器人运行目录下的相对路径（如 reports），不能以 / 开头或用 .. 跳出' })
    .default('reports'),
});

export type ReportsConfig = z.output<typeof reportsSchema>;

/** The report goes to the staff group, so a playbook that schedules one needs it. */
export function refineReports(reports: ReportsConfig | undefined, hasStaffGroup: boolean, ctx: z.RefinementCtx): void {
  if (reports && !hasStaffGroup) ctx.addIssue({ code: 'custom', path: ['reports'], message: '定时周报会发到老师群，请先配置 staff_group' });
}

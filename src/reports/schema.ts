/**
 * The playbook's `reports:` block: post last week's report to the staff group on a schedule.
 * Documented in playbooks/README.md. Must not import src/playbook/schema.ts (which imports it).
 */
import { z } from 'zod';
import { cronExpression } from '../playbook/cron.js';

export const reportsSchema = z.strictObject({
  /** When to post (5-field cron in the playbook's timezone); default Monday 08:00. */
  schedule: cronExpression.default('0 8 * * 1'),
  /** Replace members' names with stable pseudonyms in the posted summary. */
  pseudonymize: z.boolean().default(false),
});

export type ReportsConfig = z.output<typeof reportsSchema>;

/** The report goes to the staff group, so a playbook that schedules one needs it. */
export function refineReports(reports: ReportsConfig | undefined, hasStaffGroup: boolean, ctx: z.RefinementCtx): void {
  if (reports && !hasStaffGroup) ctx.addIssue({ code: 'custom', path: ['reports'], message: '定时周报会发到老师群，请先配置 staff_group' });
}

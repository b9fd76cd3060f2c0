import type { Feature, FireContext, ScheduledJob } from '../../engine/feature.js';
import type { MemberRef } from '../../model.js';
import { parentsWithSensitiveCase } from '../followups/actions.js';
import { compileCron } from '../../playbook/cron.js';
import type { Playbook } from '../../playbook/playbook.js';
import { placeholdersOf } from '../../template.js';
import { checkinCountToday, notCheckedIn } from '../checkin/stats.js';
import { renderReminder } from './render.js';
import { CHECKIN_VARS, type ReminderData } from './schema.js';
import { oncePer } from '../../memo.js';

/** Whether a reminder needs today's check-in numbers (its placeholders or its mentions). */
function usesCheckin(r: ReminderData): boolean {
  return r.mention === 'not_checked_in' || placeholdersOf(r.message).some((v) => CHECKIN_VARS.has(v));
}

/**
 * Who has not checked in today, less the parents with an open safety or wellbeing case: a family
 * going through that is not nudged in public about homework.
 */
function notCheckedInToNudge(ctx: FireContext, r: ReminderData): MemberRef[] {
  const spared = parentsWithSensitiveCase(ctx.services, ctx.playbook, ctx.group.platform);
  const missing = notCheckedIn(ctx.services.store, ctx.playbook, ctx.group.key, ctx.date, r.checkin);
  return spared.size === 0 ? missing : missing.filter((m) => !spared.has(m.id));
}

function compileJobs(pb: Playbook): ScheduledJob[] {
  return pb.data.reminders.map((r) => {
    const needsCheckin = usesCheckin(r);
    return {
      id: `reminder:${r.id}`,
      cron: compileCron(r.cron),
      groups: r.groups ?? pb.groups.map((g) => g.key),
      from: r.from,
      to: r.to,
      calendar: r.calendar,
      graceMs: r.grace_minutes * 60_000,
      run(ctx) {
        const { store } = ctx.services;
        // r.checkin names one game; without it, a check-in in any of the group's games counts.
        const checkin = needsCheckin ? { count: checkinCountToday(store, pb, ctx.group.key, ctx.date, r.checkin), missing: notCheckedInToNudge(ctx, r) } : undefined;
        const out = renderReminder(pb, r, { date: ctx.date, group: ctx.group, checkin });
        ctx.post(out.text, { cause: 'reminder', mentions: out.mentions, mentionAll: out.mentionAll });
      },
    };
  });
}

/** Scheduled posts from the playbook's `reminders:` (homework, morning reading, weekend notices). */
export const remindersFeature: Feature = {
  name: 'reminders',
  jobs: oncePer(compileJobs),
};

import type { Playbook } from '../playbook/playbook.js';
import { addDays, localParts, parseHHMM, zonedToUtc } from '../time.js';

export type QuietDecision = { action: 'send'; at: number } | { action: 'hold'; until: number } | { action: 'drop' };

/**
 * Whether a non-urgent message due at `at` may go out then. Quiet hours may wrap midnight
 * (21:30–07:00); a held message goes out when they end.
 */
export function quietHoursDecision(pb: Playbook, at: number, urgent: boolean): QuietDecision {
  const until = urgent ? null : quietHoursEnd(pb, at);
  if (until === null) return { action: 'send', at };
  return pb.data.quiet_hours!.policy === 'drop' ? { action: 'drop' } : { action: 'hold', until };
}

/** When the quiet hours that `at` falls in end, whatever their policy; null outside them (or without any). */
export function quietHoursEnd(pb: Playbook, at: number): number | null {
  const q = pb.data.quiet_hours;
  if (!q) return null;
  const start = parseHHMM(q.start)!;
  const end = parseHHMM(q.end)!;
  const local = localParts(at, pb.timezone);
  const m = local.minuteOfDay;
  const inside = start <= end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  const endDate = start > end && m >= start ? addDays(local.date, 1) : local.date;
  return zonedToUtc(endDate, end, pb.timezone);
}

import type { Feature } from '../engine/feature.js';
import type { Store } from '../store/db.js';
import { DAY, localDate } from '../time.js';

const PURGED = '（已按保留期限删除）';
/** The purge runs on the bot's thread: emptying the WAL may hold it back this long at most (else the next purge does it). */
const RESIDUE_WAIT_MS = 250;

/**
 * Removes message texts older than the playbook's retention — in messages, closed follow-ups and
 * their audit trail, leave reasons, and sent outbox rows that quote them — keeping the rows, so counts and
 * reports stay whole; then erases them from the files too (secure_delete zeroes the freed space,
 * the WAL is emptied once the purge commits).
 */
export function purgeExpiredTexts(store: Store, playbookId: string, days: number, now: number): number {
  const before = now - days * DAY;
  return store.tx(() => {
    const run = (sql: string) => store.sqlite.prepare(sql).run(playbookId, before).changes;
    const n =
      run(`UPDATE messages SET text = NULL WHERE playbook_id = ? AND sent_at < ? AND text IS NOT NULL`) +
      run(`UPDATE followups SET message = NULL WHERE playbook_id = ? AND opened_at < ? AND message IS NOT NULL AND status IN ('resolved', 'dismissed')`) +
      run(`UPDATE leave_requests SET reason = NULL WHERE playbook_id = ? AND created_at < ? AND reason IS NOT NULL`) +
      // A parent's further messages on a follow-up are quoted in its 'message' events.
      run(
        `UPDATE followup_events SET detail = NULL WHERE followup_id IN (SELECT id FROM followups WHERE playbook_id = ? AND status IN ('resolved', 'dismissed'))
         AND at < ? AND action = 'message' AND detail IS NOT NULL`,
      ) +
      store.sqlite
        .prepare(`UPDATE outbox SET payload = json_set(payload, '$.text', ?) WHERE playbook_id = ? AND created_at < ? AND status = 'sent' AND json_extract(payload, '$.text') <> ?`)
        .run(PURGED, playbookId, before, PURGED).changes;
    if (n > 0) {
      store.sqlite
        .prepare(`INSERT INTO privacy_log (at, action, playbook_id, actor, detail) VALUES (?, 'retention', ?, 'classbot', ?)`)
        .run(now, playbookId, JSON.stringify({ days, purged: n }));
      store.eraseResidue(RESIDUE_WAIT_MS);
    }
    return n;
  });
}

/** Runs the purge once per local day per playbook. */
export function retentionFeature(): Feature {
  const lastRun = new Map<string, string>();
  return {
    name: 'retention',
    onTick({ services, playbook, now }) {
      const today = localDate(now, playbook.timezone);
      if (lastRun.get(playbook.id) === today) return;
      lastRun.set(playbook.id, today);
      purgeExpiredTexts(services.store, playbook.id, playbook.data.retention.message_text_days, now);
    },
  };
}

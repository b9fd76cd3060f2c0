import type { Feature } from '../engine/feature.js';
import type { Store } from '../store/db.js';
import { DAY, localDate } from '../time.js';

const PURGED = '（已按保留期限删除）';

/**
 * Removes message texts older than the playbook's retention — in messages, follow-ups and sent
 * outbox rows that quote them — keeping the rows, so counts and reports stay whole.
 */
export function purgeExpiredTexts(store: Store, playbookId: string, days: number, now: number): number {
  const before = now - days * DAY;
  return store.tx(() => {
    const run = (sql: string) => store.sqlite.prepare(sql).run(playbookId, before).changes;
    const n =
      run(`UPDATE messages SET text = NULL WHERE playbook_id = ? AND sent_at < ? AND text IS NOT NULL`) +
      run(`UPDATE followups SET message = NULL WHERE playbook_id = ? AND opened_at < ? AND message IS NOT NULL AND status IN ('resolved', 'dismissed')`) +
      store.sqlite
        .prepare(`UPDATE outbox SET payload = json_set(payload, '$.text', ?) WHERE playbook_id = ? AND created_at < ? AND status = 'sent' AND json_extract(payload, '$.text') <> ?`)
        .run(PURGED, playbookId, before, PURGED).changes;
    if (n > 0) {
      store.sqlite
        .prepare(`INSERT INTO privacy_log (at, action, playbook_id, actor, detail) VALUES (?, 'retention', ?, 'classbot', ?)`)
        .run(now, playbookId, JSON.stringify({ days, purged: n }));
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

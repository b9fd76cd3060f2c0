import type { Services } from '../../engine/feature.js';
import { text, type Playbook } from '../../playbook/playbook.js';
import { alertActions, formatWhen } from './format.js';
import type { Followup } from './repo.js';

/** What a case's card says about it now, under the alert it was sent with. */
function stateLine(pb: Playbook, f: Followup, now: number): string | null {
  const vars = { staff: f.assignee ?? '—', time: formatWhen(pb, f.resolvedAt ?? f.claimedAt ?? now, now) };
  if (f.status === 'claimed') return text(pb, 'followup_card_claimed', vars);
  if (f.status === 'resolved') return text(pb, 'followup_card_resolved', vars);
  if (f.status === 'dismissed') return text(pb, 'followup_card_dismissed', vars);
  return null;
}

/**
 * On platforms where the bot can edit its own messages, every alert card of a case shows its
 * state (who claimed it, that it was resolved) and keeps only the buttons that still apply, so a
 * press on an old card is not a surprise. One update per state: the key says which.
 */
export function refreshCards(services: Services, pb: Playbook, f: Followup, now: number): void {
  const line = stateLine(pb, f, now);
  if (!line) return;
  const actions = alertActions(pb, f);
  for (const card of services.messenger.cardsSent(`followup:${f.id}:`)) {
    if (!services.capabilities(card.platform)?.updatesMessages) continue;
    services.messenger.updateCard(card.key, `${card.text}\n\n${line}`, { key: `${card.key}:state:${f.status}:${f.assignee ?? ''}`, cause: 'followup', actions });
  }
}

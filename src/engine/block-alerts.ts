import { type Platform } from '../model.js';
import { text, type Playbook } from '../playbook/playbook.js';
import type { Services } from './feature.js';
import type { BlockChange } from './outbox.js';
import { PROBE_EVERY_MS } from './platform-blocks.js';

const usesPlatform = (pb: Playbook, platform: Platform) => pb.groups.some((g) => g.platform === platform) || pb.staffGroup?.platform === platform;

/** The reason in the playbook's words when it has them (blocked_reason_dingtalk_quota), else the platform's. */
function reasonText(pb: Playbook, change: BlockChange): string {
  const key = `blocked_reason_${change.reason.replace(/\W/g, '_')}`;
  const said = text(pb, key);
  return said === key ? change.detail : said;
}

/**
 * Tells each playbook's staff that a platform stopped taking sends, on a channel that still works
 * (the staff group or a staff member on another platform), and that it resumed.
 */
export function alertBlockChange(services: Services, platforms: Platform[], change: BlockChange): void {
  const now = services.clock.now();
  for (const pb of services.playbooks()) {
    if (!usesPlatform(pb, change.platform)) continue;
    const vars = {
      platform: text(pb, `platform_name_${change.platform}`),
      reason: reasonText(pb, change),
      held: change.held,
      minutes: PROBE_EVERY_MS / 60_000,
    };
    const opts = { key: `platform:${change.state}:${change.platform}:${now}`, cause: 'platform', urgent: true };
    const body = text(pb, change.state === 'blocked' ? 'platform_blocked' : 'platform_resumed', vars);
    const outcome =
      change.state === 'blocked'
        ? services.messenger.toStaffAvoiding(pb, change.platform, platforms, body, opts)
        : services.messenger.toStaff(pb, body, opts);
    if (outcome === 'no-target') services.log.warn({ playbook: pb.id, platform: change.platform }, 'no channel left to tell staff that the platform stopped sending');
  }
}

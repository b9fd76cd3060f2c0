/** Binding playbook groups to DingTalk groups by title, from the robot's own group list. */
import type { Logger } from '../../src/log.js';
import type { GroupSpec } from '../../src/model.js';
import { matchGroup, type RoomInfo } from '../wechaty/groups.js';
import type { DingtalkApi } from './api.js';

/**
 * One openConversationId (or null) per spec, by the same rules as WeChat rooms: a title or
 * pattern that fits two groups binds neither. Titles already known (from callbacks or an
 * earlier listing) are not asked for again: each lookup is an OpenAPI call against the quota.
 */
export async function resolveDingtalkGroups(
  api: DingtalkApi,
  specs: GroupSpec[],
  titles: Map<string, string>,
  log: Logger,
): Promise<(string | null)[]> {
  const groups: RoomInfo[] = [];
  for (const id of await api.robotGroups()) {
    let topic = titles.get(id);
    if (topic === undefined) {
      topic = await api.groupTitle(id);
      titles.set(id, topic);
    }
    groups.push({ id, topic });
  }
  const ids = specs.map((spec) => {
    const m = matchGroup(spec, groups);
    if (m.status === 'found') return m.room.id;
    const group = spec.id ?? spec.match ?? spec.name ?? '';
    if (m.status === 'ambiguous') {
      log.warn({ group, candidates: m.rooms }, `DingTalk group not bound: ${m.rooms.length} groups match; bind it by openConversationId`);
    } else {
      log.warn({ group }, 'DingTalk group not found among the robot\'s groups');
    }
    return null;
  });
  log.info({ groups: groups.length, found: ids.filter(Boolean).length, of: specs.length }, 'DingTalk groups looked up');
  return ids;
}

/** Binding playbook groups to DingTalk groups by title, from the robot's own group list. */
import type { Logger } from '../../src/log.js';
import { SendError, type GroupSpec } from '../../src/model.js';
import { matchGroup, type RoomInfo } from '../../src/engine/group-match.js';
import type { DingtalkApi } from './api.js';

/** How long to wait, in ms; the adapter waits in real time, tests move a fake clock. */
export type Wait = (ms: number) => Promise<void>;

/** Attempts per title lookup: the list can be longer than the app's 20 calls a second. */
const LOOKUP_ATTEMPTS = 5;
const THROTTLE_WAIT_MS = 1000;

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
  wait: Wait,
): Promise<(string | null)[]> {
  const groups: RoomInfo[] = [];
  for (const id of await api.robotGroups()) {
    let topic = titles.get(id);
    if (topic === undefined) {
      topic = await retried(() => api.groupTitle(id), wait);
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

/** Runs `call` again after a retryable refusal (the app's rate, a busy server), a few times. */
async function retried<T>(call: () => Promise<T>, wait: Wait): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof SendError) || !err.retryable || attempt >= LOOKUP_ATTEMPTS) throw err;
      await wait(err.retryAfterMs ?? THROTTLE_WAIT_MS);
    }
  }
}

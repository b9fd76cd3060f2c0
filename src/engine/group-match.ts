/**
 * Which of a platform's listed groups a playbook group names: the same rule on every platform
 * whose adapter lists groups (WeChat rooms, DingTalk's robot groups).
 */
import type { GroupSpec } from '../model.js';
import { compilePattern } from '../playbook/pattern.js';

/** A platform's group as an adapter lists it (a WeChat room, a DingTalk group). */
export interface RoomInfo {
  id: string;
  topic: string;
  /** Titles the room had before a rename the adapter saw: a renamed class room is still found by the title in the playbook. */
  formerTopics?: string[];
}

/** Records a room's title as seen now; a different one it had becomes a former title. */
export function retitle(rooms: Map<string, RoomInfo>, id: string, topic: string): void {
  const known = rooms.get(id);
  const former = known && known.topic !== topic ? [...(known.formerTopics ?? []), known.topic] : known?.formerTopics;
  rooms.set(id, { id, topic, ...(former ? { formerTopics: former.filter((t) => t !== topic) } : {}) });
}

const titles = (r: RoomInfo): string[] => [r.topic, ...(r.formerTopics ?? [])];

export type GroupMatch =
  | { status: 'found'; room: RoomInfo }
  | { status: 'missing' }
  | { status: 'ambiguous'; rooms: RoomInfo[] };

/**
 * By id when the spec has one, else by the regular expression `match`, else by the exact title
 * `name`. Several rooms with one title is common (every school has a 三年级二班), so more than one
 * hit binds nothing rather than reminding the wrong class.
 */
export function matchGroup(spec: GroupSpec, rooms: RoomInfo[]): GroupMatch {
  let hits: RoomInfo[] = [];
  if (spec.id) hits = rooms.filter((r) => r.id === spec.id);
  else if (spec.match) {
    const re = compilePattern(spec.match);
    hits = rooms.filter((r) => titles(r).some((t) => re.test(t)));
  } else if (spec.name) hits = rooms.filter((r) => titles(r).includes(spec.name!));
  if (hits.length === 0) return { status: 'missing' };
  if (hits.length > 1) return { status: 'ambiguous', rooms: hits };
  return { status: 'found', room: hits[0]! };
}

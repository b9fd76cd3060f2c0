/** Binding playbook groups to WeChat rooms by room id or by topic (the group's title). */
import type { Wechaty } from 'wechaty';
import type { GroupSpec } from '../../src/model.js';
import type { Logger } from '../../src/log.js';
import { compilePattern } from '../../src/playbook/pattern.js';

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

function describe(spec: GroupSpec): string {
  if (spec.id) return `id ${spec.id}`;
  if (spec.match) return `topic matching /${spec.match}/`;
  return `topic "${spec.name ?? ''}"`;
}

/**
 * The rooms the puppet lists, with those the adapter has `seen` (a message, a rename) that the
 * list lacks: right after login real puppets list only some rooms. The listing is added to `seen`.
 */
async function knownRooms(bot: Wechaty, seen: Map<string, RoomInfo>): Promise<RoomInfo[]> {
  const listed = await bot.Room.findAll();
  for (const r of listed) retitle(seen, r.id, await r.topic());
  return [...seen.values()];
}

/** One room id (or null) per spec; logs which groups were found and which were not. */
export async function resolveGroups(bot: Wechaty, specs: GroupSpec[], log: Logger, seen: Map<string, RoomInfo>): Promise<(string | null)[]> {
  const rooms = await knownRooms(bot, seen);
  const found: { group: string; roomId: string; topic: string }[] = [];
  const notFound: { group: string; reason: string; candidates?: RoomInfo[] }[] = [];
  const ids: (string | null)[] = [];
  for (const spec of specs) {
    let m = matchGroup(spec, rooms);
    if (m.status === 'missing' && spec.id) {
      // Rooms not saved to the address book (保存到通讯录) are missing from the list on most puppets.
      const room = await bot.Room.find({ id: spec.id });
      if (room) m = { status: 'found', room: { id: room.id, topic: await room.topic() } };
    }
    const group = describe(spec);
    if (m.status === 'found') {
      found.push({ group, roomId: m.room.id, topic: m.room.topic });
      ids.push(m.room.id);
    } else {
      notFound.push(
        m.status === 'ambiguous'
          ? { group, reason: `${m.rooms.length} rooms match: give the room id`, candidates: m.rooms }
          : { group, reason: 'no room of the bot account matches' },
      );
      ids.push(null);
    }
  }
  log.info({ found, notFound: notFound.length, rooms: rooms.length }, `WeChat groups: ${found.length} of ${specs.length} found`);
  for (const miss of notFound) log.warn(miss, `WeChat group not found: ${miss.group}`);
  return ids;
}

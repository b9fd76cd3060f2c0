/** Binding playbook groups to WeChat rooms by room id or by topic (the group's title). */
import type { Wechaty } from 'wechaty';
import type { GroupSpec } from '../../src/model.js';
import type { Logger } from '../../src/log.js';
import { matchGroup, retitle, type RoomInfo } from '../../src/engine/group-match.js';

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

import { PLATFORMS, type InboundMessage, type MemberRef } from '../model.js';

/** Text beyond this is cut (the only change to stored text besides replacing lone surrogates): no parent writes 64k characters, and a flood must not bloat the store. */
export const MAX_TEXT = 65_536;
/**
 * Names and chat titles beyond this are cut the same way: they are stored and copied into
 * replies and staff alerts, and the platforms allow far shorter ones (a Lark title 60, a WeChat nickname 16).
 */
export const MAX_NAME = 256;
/**
 * Platform ids (events, chats, people) are short; one beyond this is not a real id, and cutting it
 * would name another chat or person, so the message (or the mention) is refused instead.
 */
export const MAX_ID = 512;

export type Checked = { ok: true; msg: InboundMessage } | { ok: false; problem: string };

const isStr = (v: unknown): v is string => typeof v === 'string';
const isId = (v: unknown): v is string => isStr(v) && v.length > 0 && v.length <= MAX_ID;
/** The string itself when it is short enough and has no lone surrogate (nearly always): no copy. */
const capped = (s: string, max: number): string => {
  const cut = s.length > max ? s.slice(0, max) : s;
  return cut.isWellFormed() ? cut : cut.toWellFormed();
};
const cappedRef = <T extends MemberRef>(ref: T): T => {
  const name = capped(ref.name, MAX_NAME);
  return name === ref.name ? ref : { ...ref, name };
};

/**
 * Adapters are ours, but their input is the platform's: check the shape before anything relies
 * on it, make text well-formed (lone surrogates would not survive storage), and bound every
 * string that is stored or copied into replies.
 */
export function validateInbound(raw: unknown): Checked {
  if (typeof raw !== 'object' || raw === null) return { ok: false, problem: 'not an object' };
  const m = raw as Partial<InboundMessage>;
  if (!PLATFORMS.includes(m.platform as never)) return { ok: false, problem: `unknown platform ${String(m.platform)}` };
  if (!isId(m.eventId)) return { ok: false, problem: 'bad eventId' };
  if (m.chatType !== 'group' && m.chatType !== 'direct') return { ok: false, problem: 'bad chatType' };
  if (m.chatType === 'group' && !isId(m.groupId)) return { ok: false, problem: 'group message without a groupId (or one too long)' };
  if (!m.sender || !isId(m.sender.id) || !isStr(m.sender.name)) return { ok: false, problem: 'bad sender' };
  if (!isStr(m.text)) return { ok: false, problem: 'text is not a string' };
  if (typeof m.timestamp !== 'number' || !Number.isFinite(m.timestamp)) return { ok: false, problem: 'bad timestamp' };
  const msg: InboundMessage = {
    ...(m as InboundMessage),
    text: capped(m.text, MAX_TEXT),
    sender: cappedRef(m.sender),
    elements: Array.isArray(m.elements) ? m.elements : [],
    mentions: Array.isArray(m.mentions) ? m.mentions.filter((x) => x && isId(x.id) && isStr(x.name)).map(cappedRef) : [],
    addressed: m.addressed === true,
  };
  if (isStr(m.groupName)) msg.groupName = capped(m.groupName, MAX_NAME);
  else delete msg.groupName;
  if (isStr(m.quoted)) msg.quoted = capped(m.quoted, MAX_TEXT);
  else delete msg.quoted;
  return { ok: true, msg };
}

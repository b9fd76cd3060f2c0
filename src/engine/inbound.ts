import { PLATFORMS, type InboundMessage } from '../model.js';

/** Text beyond this is cut (the only change to stored text besides replacing lone surrogates): no parent writes 64k characters, and a flood must not bloat the store. */
export const MAX_TEXT = 65_536;

export type Checked = { ok: true; msg: InboundMessage } | { ok: false; problem: string };

const isStr = (v: unknown): v is string => typeof v === 'string';
/** The string itself when it has no lone surrogate (nearly always): no copy. */
const wellFormed = (s: string): string => (s.isWellFormed() ? s : s.toWellFormed());

/**
 * Adapters are ours, but their input is the platform's: check the shape before anything relies
 * on it, and make text well-formed (lone surrogates would not survive storage).
 */
export function validateInbound(raw: unknown): Checked {
  if (typeof raw !== 'object' || raw === null) return { ok: false, problem: 'not an object' };
  const m = raw as Partial<InboundMessage>;
  if (!PLATFORMS.includes(m.platform as never)) return { ok: false, problem: `unknown platform ${String(m.platform)}` };
  if (!isStr(m.eventId) || m.eventId.length === 0 || m.eventId.length > 512) return { ok: false, problem: 'bad eventId' };
  if (m.chatType !== 'group' && m.chatType !== 'direct') return { ok: false, problem: 'bad chatType' };
  if (m.chatType === 'group' && (!isStr(m.groupId) || !m.groupId)) return { ok: false, problem: 'group message without groupId' };
  if (!m.sender || !isStr(m.sender.id) || !m.sender.id || !isStr(m.sender.name)) return { ok: false, problem: 'bad sender' };
  if (!isStr(m.text)) return { ok: false, problem: 'text is not a string' };
  if (typeof m.timestamp !== 'number' || !Number.isFinite(m.timestamp)) return { ok: false, problem: 'bad timestamp' };
  const text = m.text.length > MAX_TEXT ? m.text.slice(0, MAX_TEXT) : m.text;
  return {
    ok: true,
    msg: {
      ...(m as InboundMessage),
      text: wellFormed(text),
      sender: m.sender.name.isWellFormed() ? m.sender : { ...m.sender, name: m.sender.name.toWellFormed() },
      elements: Array.isArray(m.elements) ? m.elements : [],
      mentions: Array.isArray(m.mentions) ? m.mentions.filter((x) => x && isStr(x.id)) : [],
      addressed: m.addressed === true,
    },
  };
}

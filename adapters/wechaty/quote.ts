/**
 * WeChat's quoted replies (引用). Puppets give them as text: the quoted message in corner brackets,
 * with its sender's name first, a dashed line, then the reply:
 *   「王妈妈：明天几点到校？」
 *   - - - - - - - - - - - - - - -
 *   七点半
 * The detector and the FAQ must read only the reply; the quote is kept apart as context.
 */

/**
 * Full-width 「」 (and 『』) or half-width ｢｣ brackets, lazily up to the closing bracket that the
 * dashed line follows (the quote itself may hold brackets and line breaks), and a line of at least
 * three dashes, spaced or not: its length differs between WeChat versions and puppets.
 */
const QUOTED_REPLY = /^\s*[「『｢]([\s\S]*?)[」』｣][ \t]*\r?\n[ \t]*-(?:[ \t]*-){2,}[ \t]*(?:\r?\n|$)([\s\S]*)$/;

export interface SplitText {
  /** The sender's own words, trimmed; empty when the message is only a quote. */
  text: string;
  /** The quoted message (with its sender's name, when WeChat puts it first), trimmed. */
  quoted?: string;
}

export function splitQuote(text: string): SplitText {
  const m = QUOTED_REPLY.exec(text);
  if (!m) return { text: text.trim() };
  return { text: m[2]!.trim(), quoted: m[1]!.trim() };
}

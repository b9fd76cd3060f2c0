/**
 * Whether a message has words for the learned model to read. Its n-gram weights were learned from
 * sentences; on text that is only punctuation, emoji, digits and spaces, or one character or a
 * short unit said over and over (「！！！！」「打打打打」「好的好的好的」), they are noise: twelve
 * full-width exclamation marks read as safety at 0.86. The lexicon still reads such text.
 */

/**
 * Whether each code unit is a letter of any script (Han, Latin…): 0 not known yet, 1 yes, 2 no.
 * Filled as characters are first seen, since this runs for half of all messages and testing all
 * 65,536 at load would slow the start. Surrogates (emoji, rare ideographs) count as no letter.
 */
const LETTER = new Uint8Array(65536);
const isLetter = (c: number) => (LETTER[c] ||= /\p{L}/u.test(String.fromCharCode(c)) ? 1 : 2) === 1;

/** A unit up to this long said again and again says no more than itself once, and that is shorter than the model reads. */
const SHORT_UNIT = 4;

/** Whether normalised text has letters beyond one character or a short unit repeated (the last time maybe cut short). */
export function hasWords(normalised: string): boolean {
  // The last SHORT_UNIT letters, and which unit lengths the letters so far still repeat.
  const last = [0, 0, 0, 0];
  let periodic = (1 << SHORT_UNIT) - 1; // bit u-1: unit length u
  let letters = 0;
  for (let i = 0; i < normalised.length; i++) {
    const c = normalised.charCodeAt(i);
    if (!isLetter(c)) continue;
    for (let u = 1; u <= SHORT_UNIT; u++) if (letters >= u && last[(letters - u) % SHORT_UNIT] !== c) periodic &= ~(1 << (u - 1));
    last[letters % SHORT_UNIT] = c;
    letters++;
    if (periodic === 0) return true;
  }
  // A unit counts as repeated when it occurs twice or more; a single letter is "repeated" once.
  for (let u = 1; u <= SHORT_UNIT; u++) if ((periodic & (1 << (u - 1))) !== 0 && (u === 1 || letters >= 2 * u)) return false;
  return letters > 0;
}

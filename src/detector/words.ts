/**
 * Whether a message has words for the learned model to read. Its n-gram weights were learned from
 * sentences; on text that is only punctuation, emoji, digits and spaces, or one character or a
 * short unit said over and over (「！！！！」「打打打打」「好的好的好的」), they are noise: twelve
 * full-width exclamation marks read as safety at 0.86. The lexicon still reads such text.
 */
const NOT_LETTER = /\P{L}+/gu;
/** A unit up to this long said again and again says no more than itself once, and that is shorter than the model reads. */
const SHORT_UNIT = 4;

/** Whether s is its first `unit` characters repeated (the last time maybe cut short). */
function repeats(s: string, unit: number): boolean {
  for (let i = unit; i < s.length; i++) if (s.charCodeAt(i) !== s.charCodeAt(i - unit)) return false;
  return true;
}

/** Whether normalised text has letters (Han, Latin, any script) beyond one character or a short unit repeated. */
export function hasWords(normalised: string): boolean {
  const letters = normalised.replace(NOT_LETTER, '');
  for (let unit = 1; unit <= SHORT_UNIT && unit <= letters.length; unit++) {
    if (unit > 1 && letters.length < 2 * unit) break;
    if (repeats(letters, unit)) return false;
  }
  return letters.length > 0;
}

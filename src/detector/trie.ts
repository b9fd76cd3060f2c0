/**
 * An Aho–Corasick automaton over UTF-16 code units: one left-to-right pass reports every
 * occurrence of every pattern, overlapping ones included (not greedy longest-first), so the
 * scorer can see both 「不想上学」 and the 「不」 inside it and decide what each means.
 *
 * Transitions live in one Map keyed by `state * 65536 + codeUnit` (small integers, no per-node
 * objects); the root's transitions are a flat array because most characters restart there.
 * Emoji are two code units and match like any other two-character pattern.
 */

/** Where one scan writes its matches; reused across messages to avoid allocation. */
export class MatchBuffer {
  count = 0;
  pattern = new Int32Array(64);
  start = new Int32Array(64);
  end = new Int32Array(64);

  reset(): void {
    this.count = 0;
  }

  push(pattern: number, start: number, end: number): void {
    if (this.count === this.pattern.length) this.grow();
    this.pattern[this.count] = pattern;
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.count++;
  }

  private grow(): void {
    const size = this.pattern.length * 2;
    const copy = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.pattern = copy(this.pattern);
    this.start = copy(this.start);
    this.end = copy(this.end);
  }
}

export class Automaton {
  private readonly next = new Map<number, number>();
  private readonly rootNext = new Int32Array(65536);
  private readonly lengths: Int32Array;
  /** Outputs of state s (its own patterns and those of its suffixes) are outputs[outStart[s]..outStart[s+1]). */
  private readonly outStart: Int32Array;
  private readonly outputs: Int32Array;
  private readonly fail: Int32Array;

  /** Pattern i is reported with id i. Empty patterns are rejected; duplicates are the caller's job. */
  constructor(patterns: readonly string[]) {
    this.lengths = Int32Array.from(patterns, (p) => p.length);
    const own: number[][] = [[]];
    let states = 1;
    for (let id = 0; id < patterns.length; id++) {
      const p = patterns[id]!;
      if (p.length === 0) throw new Error(`empty pattern #${id}`);
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const key = s * 65536 + p.charCodeAt(i);
        let t = s === 0 ? this.rootNext[p.charCodeAt(i)]! : (this.next.get(key) ?? 0);
        if (t === 0) {
          t = states++;
          own.push([]);
          if (s === 0) this.rootNext[p.charCodeAt(i)] = t;
          else this.next.set(key, t);
        }
        s = t;
      }
      own[s]!.push(id);
    }

    // Breadth-first failure links; children are listed per state to walk the trie level by level.
    const children: number[][] = Array.from({ length: states }, () => []);
    const childCode: number[][] = Array.from({ length: states }, () => []);
    for (let c = 0; c < 65536; c++) {
      const t = this.rootNext[c]!;
      if (t !== 0) {
        children[0]!.push(t);
        childCode[0]!.push(c);
      }
    }
    for (const [key, t] of this.next) {
      const s = Math.floor(key / 65536);
      children[s]!.push(t);
      childCode[s]!.push(key % 65536);
    }
    const fail = new Int32Array(states);
    const merged: number[][] = own.map((o) => o.slice());
    const queue: number[] = [...children[0]!];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      merged[s] = own[s]!.concat(merged[fail[s]!]!);
      const kids = children[s]!;
      const codes = childCode[s]!;
      for (let k = 0; k < kids.length; k++) {
        const t = kids[k]!;
        fail[t] = this.step(fail[s]!, codes[k]!, fail);
        queue.push(t);
      }
    }
    this.fail = fail;

    this.outStart = new Int32Array(states + 1);
    let total = 0;
    for (let s = 0; s < states; s++) {
      this.outStart[s] = total;
      total += merged[s]!.length;
    }
    this.outStart[states] = total;
    this.outputs = new Int32Array(total);
    for (let s = 0; s < states; s++) this.outputs.set(merged[s]!, this.outStart[s]!);
  }

  private step(s: number, code: number, fail: Int32Array): number {
    for (;;) {
      if (s === 0) return this.rootNext[code]!;
      const t = this.next.get(s * 65536 + code);
      if (t !== undefined) return t;
      s = fail[s]!;
    }
  }

  /** Appends every occurrence in `text` to `out` as (pattern id, start, end), in order of end. */
  scan(text: string, out: MatchBuffer): void {
    const fail = this.fail;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = this.step(s, text.charCodeAt(i), fail);
      const from = this.outStart[s]!;
      const to = this.outStart[s + 1]!;
      for (let k = from; k < to; k++) {
        const id = this.outputs[k]!;
        out.push(id, i + 1 - this.lengths[id]!, i + 1);
      }
    }
  }
}

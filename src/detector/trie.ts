/**
 * An Aho–Corasick automaton over UTF-16 code units: one left-to-right pass reports every
 * occurrence of every pattern, overlapping ones included (not greedy longest-first), so the
 * scorer can see both 「不想上学」 and the 「不」 inside it and decide what each means.
 *
 * Stored as a double array: characters are first mapped to a dense alphabet (only characters
 * that occur in some pattern; any other character sends the automaton back to the root), and a
 * transition s --a--> t exists when check[base[s] + a] === s. Every step is a few typed-array
 * reads, no hashing. Emoji are two code units and match like any other two-character pattern.
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

  grow(): void {
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

const FREE = -1;
/** Free cells tried for a node's children before they are placed past the used area. */
const MAX_FIT_TRIES = 4096;

export class Automaton {
  /** Dense alphabet id of each code unit; 0 when no pattern contains it. */
  private readonly alphabet = new Uint16Array(65536);
  private readonly base: Int32Array;
  private readonly check: Int32Array;
  private readonly fail: Int32Array;
  /** Root transitions by alphabet id (0 = stay at the root). */
  private readonly rootNext: Int32Array;
  private readonly lengths: Int32Array;
  /** Outputs of slot s (its own patterns and those of its suffixes) are outputs[outStart[s]..outStart[s+1]). */
  private readonly outStart: Int32Array;
  private readonly outputs: Int32Array;

  /** Pattern i is reported with id i. Empty patterns are rejected; duplicates are the caller's job. */
  constructor(patterns: readonly string[]) {
    this.lengths = Int32Array.from(patterns, (p) => p.length);
    let size = 1;
    for (const p of patterns) {
      if (p.length === 0) throw new Error('empty pattern');
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (this.alphabet[c] === 0) this.alphabet[c] = size++;
      }
    }
    const alphabetSize = size;

    // A plain trie first (children as maps), then laid out into the double array breadth-first.
    const kids: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    patterns.forEach((p, id) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const a = this.alphabet[p.charCodeAt(i)]!;
        let t = kids[s]!.get(a);
        if (t === undefined) {
          t = kids.length;
          kids.push(new Map());
          own.push([]);
          kids[s]!.set(a, t);
        }
        s = t;
      }
      own[s]!.push(id);
    });

    let capacity = Math.max(1024, kids.length * 2 + alphabetSize);
    let base = new Int32Array(capacity);
    let check = new Int32Array(capacity).fill(FREE);
    // nextFree[i] leads to the first free cell at or after i (path-compressed).
    let nextFree = Int32Array.from({ length: capacity + 1 }, (_, i) => i);
    const ensure = (n: number) => {
      if (n < capacity) return;
      const next = Math.max(n + 1, capacity * 2);
      const b = new Int32Array(next);
      b.set(base);
      const c = new Int32Array(next).fill(FREE);
      c.set(check);
      const f = Int32Array.from({ length: next + 1 }, (_, i) => i);
      f.set(nextFree.subarray(0, capacity));
      base = b;
      check = c;
      nextFree = f;
      capacity = next;
    };
    const firstFree = (i: number): number => {
      ensure(i);
      let root = i;
      while (nextFree[root] !== root) {
        root = nextFree[root]!;
        ensure(root);
      }
      while (nextFree[i] !== root) {
        const up = nextFree[i]!;
        nextFree[i] = root;
        i = up;
      }
      return root;
    };
    const occupy = (cell: number, parent: number) => {
      check[cell] = parent;
      nextFree[cell] = cell + 1;
    };
    const slotOf = new Int32Array(kids.length); // trie node → double-array slot
    occupy(0, 0);
    const order: number[] = [0];
    let highest = 0;
    for (let q = 0; q < order.length; q++) {
      const node = order[q]!;
      const children = [...kids[node]!.entries()].sort((x, y) => x[0] - y[0]);
      if (children.length === 0) continue;
      const slot = slotOf[node]!;
      const first = children[0]![0];
      // First fit: walk the free cells for the first child, check the others; give up after a while
      // and place past everything used so far.
      let b = 0;
      let cell = firstFree(first + 1);
      for (let tries = 0; ; tries++) {
        b = tries < MAX_FIT_TRIES ? cell - first : Math.max(1, highest + 1 - first);
        ensure(b + alphabetSize);
        let fits = true;
        for (const [a] of children) {
          if (check[b + a] !== FREE) {
            fits = false;
            break;
          }
        }
        if (fits) break;
        cell = firstFree(cell + 1);
      }
      base[slot] = b;
      for (const [a, child] of children) {
        occupy(b + a, slot);
        slotOf[child] = b + a;
        if (b + a > highest) highest = b + a;
        order.push(child);
      }
    }
    // Trim to what lookups can reach: any base plus any alphabet id.
    let maxBase = 0;
    for (let i = 0; i < capacity; i++) if (base[i]! > maxBase) maxBase = base[i]!;
    const slots = Math.max(highest, maxBase + alphabetSize) + 1;
    this.base = base.slice(0, slots);
    this.check = check.slice(0, slots);

    this.rootNext = new Int32Array(alphabetSize);
    for (const [a, child] of kids[0]!) this.rootNext[a] = slotOf[child]!;

    // Failure links and merged outputs, breadth-first over trie nodes.
    const fail = new Int32Array(slots);
    this.fail = fail;
    const merged = new Map<number, number[]>();
    merged.set(0, []);
    for (let q = 1; q < order.length; q++) {
      const node = order[q]!;
      const slot = slotOf[node]!;
      merged.set(slot, own[node]!.concat(merged.get(fail[slot]!) ?? []));
      for (const [a, child] of kids[node]!) fail[slotOf[child]!] = this.step(fail[slot]!, a);
    }

    this.outStart = new Int32Array(slots + 1);
    let total = 0;
    for (let s = 0; s < slots; s++) {
      this.outStart[s] = total;
      total += merged.get(s)?.length ?? 0;
    }
    this.outStart[slots] = total;
    this.outputs = new Int32Array(total);
    for (const [s, out] of merged) this.outputs.set(out, this.outStart[s]!);
  }

  /** The transition from slot s on alphabet id a, following failure links. */
  private step(s: number, a: number): number {
    while (s !== 0) {
      const t = this.base[s]! + a;
      if (this.check[t] === s) return t;
      s = this.fail[s]!;
    }
    return this.rootNext[a]!;
  }

  /** Appends every occurrence in `text` to `out` as (pattern id, start, end), in order of end. */
  scan(text: string, out: MatchBuffer): void {
    const { alphabet, outStart, outputs, lengths } = this;
    let count = out.count;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const a = alphabet[text.charCodeAt(i)]!;
      if (a === 0) {
        s = 0;
        continue;
      }
      s = this.step(s, a);
      const to = outStart[s + 1]!;
      for (let k = outStart[s]!; k < to; k++) {
        if (count === out.pattern.length) {
          out.count = count;
          out.grow();
        }
        const id = outputs[k]!;
        out.pattern[count] = id;
        out.start[count] = i + 1 - lengths[id]!;
        out.end[count] = i + 1;
        count++;
      }
    }
    out.count = count;
  }
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlaybook } from '../../src/playbook/load.js';
import { ROOT } from '../helpers/cli.js';
import { hostileText, pick, rng } from '../helpers/random.js';

const examples = readdirSync(join(ROOT, 'playbooks'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(ROOT, 'playbooks', f), 'utf8'));

const SNIPPETS = [': ', '- ', '\t', '"', "'", '{', '}', '[', ']', '&a ', '*a', '!!binary ', '? ', '|', '>', '#', '%YAML 1.1\n', '---\n', '...\n', '<<: *a\n', 'null', '~', '0x1F', '1e999', '2026-02-30', '25:61', '*/0 * * * *'];

function mutate(r: () => number, src: string): string {
  const lines = src.split('\n');
  const ops = 1 + Math.floor(r() * 4);
  for (let k = 0; k < ops; k++) {
    const i = Math.floor(r() * lines.length);
    const line = lines[i] ?? '';
    const at = Math.floor(r() * (line.length + 1));
    switch (Math.floor(r() * 6)) {
      case 0: lines[i] = line.slice(0, at) + pick(r, SNIPPETS) + line.slice(at); break;
      case 1: lines[i] = line.slice(0, at) + line.slice(at + 1 + Math.floor(r() * 5)); break;
      case 2: lines.splice(i, 1); break;
      case 3: lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? ''); break;
      case 4: lines[i] = ' '.repeat(Math.floor(r() * 6)) + line.trimStart(); break;
      default: lines[i] = line.slice(0, at) + hostileText(r).slice(0, 40) + line.slice(at);
    }
  }
  return lines.join('\n');
}

function aliasBomb(levels: number): string {
  const out = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++) out.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(',')}]`);
  return out.join('\n');
}

function expectLocated(src: string): void {
  const r = parsePlaybook(src, 'pb.yaml', 'pb');
  if (r.ok) return;
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.col).toBeGreaterThanOrEqual(1);
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('fuzzing the playbook loader', () => {
  it('answers 3000 broken playbooks with located errors, never an exception', () => {
    const r = rng(Number(process.env.FUZZ_SEED ?? 7));
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const src = mutate(r, pick(r, examples));
      const res = parsePlaybook(src, 'pb.yaml', 'pb');
      if (!res.ok) rejected++;
      expectLocated(src);
    }
    expect(rejected).toBeGreaterThan(1500);
  });

  it('refuses alias bombs, deep nesting and invalid fields with a located error', () => {
    for (const src of [aliasBomb(8), `${'['.repeat(5000)}${']'.repeat(5000)}`, `groups:\n${'  - '.repeat(2000)}x`, 'name: [unclosed', '\u0000\u0001binary', 'x'.repeat(2_000_000)]) {
      const r = parsePlaybook(src, 'pb.yaml', 'pb');
      expect(r.ok).toBe(false);
      expectLocated(src);
    }
  });
});

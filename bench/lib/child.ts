/**
 * Runs one bench section in its own process (so its peak RSS and garbage are its own) and sends
 * the result to the parent: `node --import tsx bench/lib/child.ts <section> <context JSON>`.
 */
import type { SectionContext } from '../sections/context.js';
import type { SectionResult } from './result.js';

export type ChildMessage = { progress: string } | { result: SectionResult } | { error: string };

const [name, json] = process.argv.slice(2);
const send = (m: ChildMessage) => new Promise<void>((done) => (process.send ? process.send(m, () => done()) : done()));

try {
  const mod = (await import(`../sections/${name}.ts`)) as { run(ctx: SectionContext): Promise<SectionResult> };
  const ctx: SectionContext = { ...(JSON.parse(json ?? '{}') as Omit<SectionContext, 'progress'>), progress: (line) => void send({ progress: line }) };
  await send({ result: await mod.run(ctx) });
} catch (e) {
  await send({ error: (e as Error).stack ?? String(e) });
}
process.exit(0);

#!/usr/bin/env node
// The `classbot` executable: the core's CLI with the platform adapters, run from the TypeScript sources through tsx (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const { hosts } = await import('./index.ts');
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
try {
  process.exitCode = await main(process.argv.slice(2), io, hosts);
} catch (e) {
  process.stderr.write(`classbot: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
}

#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx: no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const { hosts } = await import('../adapters/index.ts');
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
try {
  process.exitCode = await main(process.argv.slice(2), io, hosts);
} catch (e) {
  process.stderr.write(`classbot: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
}

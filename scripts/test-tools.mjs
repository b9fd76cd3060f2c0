#!/usr/bin/env node
// Run by `npm test` first (pretest): the system programs some tests drive must be there, or be
// installed from Debian's packages now. Never skipped: without them `npm test` fails, saying what to install.
import { spawnSync } from 'node:child_process';

const TOOLS = [
  { command: 'chromium', pkg: 'chromium', why: 'tests/reports-html.test.ts opens the HTML report in headless Chromium' },
  { command: 'tmux', pkg: 'tmux', why: 'tests/console-terminal.test.ts types into the console in a terminal' },
];

const sh = (script, opts = {}) => spawnSync('sh', ['-c', script], { stdio: 'ignore', ...opts }).status === 0;
const has = (command) => sh(`command -v ${command}`);
const missing = () => TOOLS.filter((t) => !has(t.command));

let absent = missing();
if (absent.length === 0) process.exit(0);

const pkgs = absent.map((t) => t.pkg).join(' ');
const root = process.getuid?.() === 0;
const sudo = root ? '' : has('sudo') && sh('sudo -n true') ? 'sudo ' : null;
if (has('apt-get') && sudo !== null) {
  console.error(`npm test: installing ${pkgs} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  sh(`${sudo}apt-get update -qq && ${sudo}apt-get install -y -qq --no-install-recommends ${pkgs}`, { stdio: ['ignore', 'ignore', 'inherit'], env });
  absent = missing();
  if (absent.length === 0) process.exit(0);
}

console.error(
  [
    'npm test needs these programs, which are not installed and could not be installed here:',
    ...absent.map((t) => `  ${t.command}: ${t.why}`),
    `Install Debian's packages, then run npm test again:  sudo apt-get install -y ${absent.map((t) => t.pkg).join(' ')}`,
  ].join('\n'),
);
process.exit(1);

/**
 * The console in a real terminal (`npm start` at a shell): the bot runs inside tmux, keys are
 * typed with send-keys and the screen is read with capture-pane, as a person would see it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startScriptFlags } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'classbot-tty-'));
// A server of our own (its socket in our directory), so no other tmux session is touched.
const socket = join(dir, 'tmux.sock');
const env = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', LANG: 'C.UTF-8', TERM: 'xterm-256color' };

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'bot');
const lastLine = () => screen().trimEnd().split('\n').at(-1) ?? '';
const keys = (...k: string[]) => tmux('send-keys', '-t', 'bot', ...k);
const type = (text: string) => tmux('send-keys', '-t', 'bot', '-l', text);

/** Waits until the screen shows what `ready` looks for; fails with the screen after 30 s. */
async function until(what: string, ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 100) {
    if (waited > 30_000) throw new Error(`the terminal never showed ${what}; it shows:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(() => {
  const bot = [process.execPath, ...startScriptFlags(), join(ROOT, 'adapters/cli.js'), 'run', '--console', '--db', join(dir, 'bot.db'), '--now', '2026-11-23T18:00:00+08:00'];
  tmux('new-session', '-d', '-s', 'bot', '-x', '200', '-y', '50', '-c', ROOT, ...bot);
});

afterAll(() => {
  spawnSync('tmux', ['-S', socket, 'kill-server'], { env });
});

describe('console session in a terminal', () => {
  it('prompts with who and where you are, echoes, prints your message, recalls history and completes commands', async () => {
    await until('the prompt', () => lastLine() === '家长@三年级二班家长群>');

    keys('/as 王妈妈', 'Enter');
    await until('the new identity in the prompt', () => lastLine() === '王妈妈@三年级二班家长群>');

    type('请问课表在哪里看？');
    await until('the typed text', () => lastLine() === '王妈妈@三年级二班家长群> 请问课表在哪里看？');
    keys('Enter');
    await until("the bot's answer", () => screen().includes('🤖 classbot: @王妈妈 本学期课表'));
    const lines = screen().trimEnd().split('\n');
    // Your own message, as the group sees it, then the answer to it, then a fresh prompt.
    const own = lines.indexOf('18:00 [三年级二班家长群] 王妈妈: 请问课表在哪里看？');
    expect(own).toBeGreaterThan(0);
    expect(lines[own + 1]).toBe('18:00 [三年级二班家长群] 🤖 classbot: @王妈妈 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～');
    await until('a fresh prompt', () => lastLine() === '王妈妈@三年级二班家长群>');

    keys('Up');
    await until('the last line recalled', () => lastLine() === '王妈妈@三年级二班家长群> 请问课表在哪里看？');
    keys('C-u');
    await until('an empty prompt', () => lastLine() === '王妈妈@三年级二班家长群>');

    type('/ti');
    keys('Tab');
    await until('/ti completed', () => lastLine() === '王妈妈@三年级二班家长群> /time');
    type('19:00');
    keys('Enter');
    await until('the clock moved by the completed command', () => screen().includes('⏰ 现在是 11月23日 周一 19:00'));
    expect(screen()).toContain('📚 11月23日 周一 今日作业');
  });
});

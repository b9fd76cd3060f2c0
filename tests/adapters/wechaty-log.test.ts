/**
 * wechaty's own logging at WECHATY_LOG=verbose, with the real wechaty loading a puppet by name
 * with a token (wechaty-puppet-mock stands in for a service puppet): the token must reach
 * neither the terminal nor our log. A file of its own: wechaty reads WECHATY_LOG when first imported.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WechatyAdapter } from '../../adapters/wechaty/index.js';
import { createLogger } from '../../src/log.js';

vi.hoisted(() => {
  process.env.WECHATY_LOG = 'verbose';
});

const TOKEN = 'puppet_service_token_7f3Kq2Xv9';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('wechaty verbose logging', () => {
  it('never prints the puppet token, and routes wechaty lines into our log', async () => {
    let printed = '';
    const capture = (...args: unknown[]) => void (printed += args.map(String).join(' ') + '\n');
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(capture);
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
        printed += String(chunk);
        return write(chunk as string, ...rest);
      }) as typeof stream.write);
    }
    let logText = '';
    const log = createLogger({ level: 'trace', destination: { write: (line: string) => void (logText += line) } });

    const adapter = new WechatyAdapter({ puppet: 'wechaty-puppet-mock', token: TOKEN, log });
    await adapter.start(() => undefined);
    await adapter.stop();

    // wechaty did log verbosely (its puppet's constructor logs its options), through our logger.
    expect(logText).toMatch(/"sdk":"wechaty"[^\n]*Puppet[^\n]*constructor/);
    expect(logText).toContain('[redacted]');
    expect(logText).not.toContain(TOKEN);
    expect(printed).not.toContain(TOKEN);
  });
});

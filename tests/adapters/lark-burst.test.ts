/**
 * A district's 19:00 on Lark: 1,500 class chats' homework reminders due at once, sent by the real
 * bot through the real SDK to the fake Lark, which counts every send against Lark's documented
 * limits (5 a second per chat, 50 a second and 1,000 a minute per app) on the test's clock and
 * refuses any send over them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { startLarkBot, type LarkBot } from '../fakes/lark/bot.js';
import { FakeLark } from '../fakes/lark/server.js';

const PLAYBOOKS = 15;
const GROUPS = 100;
const at = (hhmmss: string) => Date.parse(`2026-11-23T${hhmmss}+08:00`);
const chatId = (p: number, g: number) => `oc_p${p}_g${g}`;

function playbook(p: number): string {
  const groups = Array.from({ length: GROUPS }, (_, g) => `  - { key: c${g}, platform: lark, id: ${chatId(p, g)}, name: 班级${p}-${g} }`).join('\n');
  return `id: school-${p}
name: 年级${p}
timezone: Asia/Shanghai
groups:
${groups}
staff:
  - { name: 李老师${p}, role: assistant, ids: { lark: ou_li_${p} } }
reminders:
  - { id: homework, cron: "0 19 * * 1-5", message: "📚 {date} 今日作业，完成后拍照发到群里～" }
`;
}

let fake: FakeLark | undefined;
let r: LarkBot | undefined;
afterEach(async () => {
  await r?.bot.stop();
  await fake?.stop();
});

describe('a Lark burst to 1,500 chats', () => {
  it('delivers every reminder once, within every documented limit, about as fast as the limits allow', async () => {
    const clock = new FakeClock(at('18:59:00'));
    fake = new FakeLark({ now: () => clock.now() });
    await fake.start();
    const dir = mkdtempSync(join(tmpdir(), 'classbot-lark-burst-'));
    const playbookDir = join(dir, 'playbooks');
    mkdirSync(playbookDir);
    for (let p = 0; p < PLAYBOOKS; p++) writeFileSync(join(playbookDir, `p${p}.yaml`), playbook(p));
    r = await startLarkBot({ fake, playbookDir, dbPath: join(dir, 'classbot.db'), clock, log: silentLogger });
    expect(r.bot.startupErrors).toEqual([]);

    clock.set(at('19:00:00'));
    await r.bot.tick();
    const total = PLAYBOOKS * GROUPS;
    const pending = r.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status != 'sent'`);
    let seconds = 0;
    while ((pending.get() as { n: number }).n > 0 && seconds < 300) {
      clock.advance(1_000);
      seconds++;
      await r.bot.tick();
    }

    expect(fake.rateViolations()).toEqual({ perChat: 0, appPerSecond: 0, appPerMinute: 0 });
    const perChat = new Map<string, number>();
    for (const q of fake.messageRequests()) {
      const id = (q.body as { receive_id: string }).receive_id;
      perChat.set(id, (perChat.get(id) ?? 0) + 1);
    }
    expect(perChat.size).toBe(total);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
    // 1,000 a minute: the last 500 wait for the first minute's window to pass, and not much longer.
    expect(seconds).toBeGreaterThanOrEqual(60);
    expect(seconds).toBeLessThanOrEqual(75);
  }, 120_000);
});

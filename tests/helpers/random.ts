import { seededRandom } from '../../src/random.js';

/** Seeded, so fuzz failures can be replayed from their seed. */
export const rng = seededRandom;

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const HOSTILE = [
  "'; DROP TABLE messages; --",
  '" OR 1=1 --',
  '{assistant}{class}{{name}}${process.env.LARK_APP_SECRET}',
  '<at user_id="all"></at><script>alert(1)</script>',
  '\u0000\u0001\u0007\u001b[31m\u202e\u200b\ufeff',
  '\ud800\udc00\ud800 lone \udfff',
  '👨‍👩‍👧‍👦🏳️‍🌈🇨🇳🧑🏽‍💻👍🏿'.repeat(20),
  '打卡 打卡 #打卡 /打卡 /认领 1 /帮助 我的打卡',
  '孩子不想活了 退费 投诉 被欺负 😭😭😭',
  '@所有人 @classbot @unknown_user_xyz',
  '\n\n\r\n\t   ',
  '收到',
  '/'.repeat(500),
];

/** A random, often hostile, message text. */
export function hostileText(r: () => number): string {
  const kind = r();
  if (kind < 0.3) return pick(r, HOSTILE);
  if (kind < 0.5) return Array.from({ length: Math.floor(r() * 200) }, () => String.fromCharCode(Math.floor(r() * 0x10000))).join('');
  if (kind < 0.52) return 'x'.repeat(70_000 + Math.floor(r() * 100_000));
  if (kind < 0.8) return Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(r, HOSTILE)).join(pick(r, ['', ' ', '，', '\n']));
  return Array.from({ length: Math.floor(r() * 40) }, () => String.fromCodePoint(0x4e00 + Math.floor(r() * 0x5000))).join('');
}

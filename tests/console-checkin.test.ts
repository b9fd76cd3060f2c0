/**
 * A scripted week of check-ins in the example class (playbooks/g3-class2.yaml) on the console, as
 * an assistant trying the bot with `npm start` would see it: the real executable, a database file,
 * time moved with /time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const db = () => join(mkdtempSync(join(tmpdir(), 'classbot-console-checkin-')), 'bot.db');

const WEEK = [
  // Monday
  '/as 王妈妈', '打卡 20分钟',
  '/as 李爸爸', '打卡 15分钟',
  '/as 张妈妈', '打卡 25分钟',
  // Tuesday: a redelivery, and a check-in without the minutes
  '/time 2026-11-24 07:10',
  '/as 王妈妈', '打卡 20分钟', '/again',
  '/as 李爸爸', '打卡', '打卡 30分钟',
  '/as 张妈妈', '打卡 10分钟',
  // Wednesday: 张妈妈 forgets; a parent and then the assistant ask who has not checked in
  '/time 2026-11-25 07:20',
  '/as 王妈妈', '打卡 25分钟',
  '/as 李爸爸', '打卡 20分钟',
  '/as 张妈妈', '/未打卡',
  '/as 李老师', '/未打卡',
  // Thursday: 李爸爸 opts out of the leaderboard; 张妈妈 makes up Wednesday
  '/time 2026-11-26 07:00',
  '/as 王妈妈', '打卡 30分钟',
  '/as 李爸爸', '打卡 15分钟', '不参与排行',
  '/as 张妈妈', '补卡', '打卡 20分钟',
  // Friday: five game days in a row
  '/time 2026-11-27 06:50',
  '/as 王妈妈', '打卡 20分钟',
  '/as 张妈妈', '打卡 20分钟',
  '/as 李爸爸', '打卡 20分钟',
  '/as 王妈妈', '我的打卡',
  // Saturday is not a game day; Sunday 21:00 the leaderboard
  '/time 2026-11-28 09:00', '打卡 20分钟',
  '/time 2026-11-29 21:01',
].join('\n');

describe('a week of check-ins on the console', () => {
  const r = runCli(['run', '--console', '--db', db(), '--now', '2026-11-23T06:30:00+08:00'], `${WEEK}\n`);
  const bot = (who: string) => r.lines.filter((l) => l.includes(`🤖 classbot: @${who} `));
  const CLASS = '[三年级二班家长群] 🤖 classbot:';

  it('runs to the end of the script', () => {
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.lines.at(-1)).toBe('⏰ 现在是 11月29日 周日 21:01');
  });

  it('answers each check-in with the class count and the streak, once a day', () => {
    expect(bot('王妈妈').filter((l) => l.includes('打卡成功'))).toEqual([
      `06:30 ${CLASS} @王妈妈 ✅ 晨读打卡成功（20分钟）！今天全班已有 1 人打卡，你已连续打卡 1 天。`,
      `07:10 ${CLASS} @王妈妈 ✅ 晨读打卡成功（20分钟）！今天全班已有 1 人打卡，你已连续打卡 2 天。`,
      `07:20 ${CLASS} @王妈妈 ✅ 晨读打卡成功（25分钟）！今天全班已有 1 人打卡，你已连续打卡 3 天。`,
      `07:00 ${CLASS} @王妈妈 ✅ 晨读打卡成功（30分钟）！今天全班已有 1 人打卡，你已连续打卡 4 天。`,
      `06:50 ${CLASS} @王妈妈 ✅ 晨读打卡成功（20分钟）！今天全班已有 1 人打卡，你已连续打卡 5 天。`,
    ]);
    // The redelivered Tuesday message got no second answer.
    expect(r.lines.filter((l) => l.startsWith('07:10') && l.includes('@王妈妈'))).toHaveLength(1);
    expect(bot('李爸爸')).toContain(`07:10 ${CLASS} @李爸爸 晨读打卡请带上阅读时长，例如：打卡 20分钟`);
    expect(bot('王妈妈')).toContain(`09:00 ${CLASS} @王妈妈 今天晨读不用打卡（休息日），好好休息～`);
  });

  it('announces the level, the make-up, the badge and the class-wide streak', () => {
    const at = (prefix: string) => r.lines.indexOf(prefix);
    expect(r.lines[at(`07:20 ${CLASS} @王妈妈 ✅ 晨读打卡成功（25分钟）！今天全班已有 1 人打卡，你已连续打卡 3 天。`) + 1]).toBe('07:20     🎉 累计打卡 3 次，闯关成功，晋级「第一关·小书童」！');
    expect(bot('张妈妈')).toContain(`07:00 ${CLASS} @张妈妈 ✅ 已补上 11月25日 周三 的晨读打卡，本月还可补 1 次；现在已连续打卡 3 天。`);
    const badge = at(`06:50 ${CLASS} @王妈妈 ✅ 晨读打卡成功（20分钟）！今天全班已有 1 人打卡，你已连续打卡 5 天。`);
    expect(r.lines[badge + 1]).toBe('06:50     🏅 连续打卡 5 天，获得「全勤一周」徽章！');
    // Completed at 06:50, celebrated when quiet hours end at 07:00.
    expect(r.lines).toContain(`07:00 ${CLASS} 🎉 今天全班都完成了晨读打卡！已经连续 5 天全员打卡，为大家点赞！`);
    const mine = at(`06:50 ${CLASS} @王妈妈 📒 王妈妈 的打卡记录：`);
    expect(r.lines[mine + 1]).toBe('06:50     晨读：已连续 5 天，本月 5 天，累计 5 天；徽章：全勤一周；关卡：第一关·小书童（本月还可补卡 2 次）');
  });

  it('refuses the staff list to a parent and sends it to the staff group only', () => {
    expect(bot('张妈妈')).toContain(`07:20 ${CLASS} @张妈妈 抱歉，这个指令只有老师和助教可以使用哦～有问题可以直接@我或私信李老师。`);
    expect(r.lines).toContain('07:20 [三年级二班老师群] 🤖 classbot: 📋 三年级二班家长群·晨读（11月25日 周三）还有 1/3 人未打卡：张妈妈');
    expect(r.lines.filter((l) => l.startsWith(`07:20 ${CLASS}`) && l.includes('未打卡：'))).toEqual([]);
  });

  it('posts the effort leaderboard on Sunday evening without the member who opted out', () => {
    const start = r.lines.indexOf(`21:00 ${CLASS} 🏆 晨读本周坚持榜（11月23日–11月29日）`);
    expect(start).toBeGreaterThan(0);
    expect(r.lines.slice(start + 1, start + 5)).toEqual([
      '21:00     1. 王妈妈：本周打卡 5 天',
      '21:00     1. 张妈妈：本周打卡 5 天',
      '21:00     全班已连续 5 天全员打卡！',
      '21:00     只比坚持，不比成绩，每一天的努力都值得点赞！不想上榜可以发“不参与排行”。',
    ]);
  });
});

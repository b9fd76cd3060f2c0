/**
 * Follow-ups as an assistant sees them on the console (`npm start`) with the example playbook
 * g3-class2: the real executable, a database file, and time moved with /time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const db = () => join(mkdtempSync(join(tmpdir(), 'classbot-console-fu-')), 'bot.db');
const NOW = '2026-11-23T18:00:00+08:00';
const WORRIED = '孩子最近作业写到十一点，跟不上，好焦虑';
const STAFF = '[三年级二班老师群] 🤖 classbot:';
const CLASS = '[三年级二班家长群] 🤖 classbot:';

describe('follow-ups on the console', () => {
  it('a worried message gets the group reply and the staff alert; /time +40m without a claim shows the escalation', () => {
    const r = runCli(['run', '--console', '--db', db(), '--now', NOW], `/as 王妈妈\n${WORRIED}\n/time +40m\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const at = r.lines.indexOf(`18:00 [三年级二班家长群] 王妈妈: ${WORRIED}`);
    expect(at).toBeGreaterThan(0);
    expect(r.lines.slice(at + 1)).toEqual([
      `18:00 ${STAFF} @李老师 🔔 跟进 #1｜学习·中`,
      '18:00     班级：三年级二班 · 三年级二班家长群',
      '18:00     家长：王妈妈',
      `18:00     消息：${WORRIED}`,
      '18:00     负责：李老师 · 18:15 前认领 · 11月24日 18:00 前解决',
      '18:00     ▸ 认领：/认领 1',
      '18:00     ▸ 解决：/解决 1',
      '18:00     ▸ 误报：/误报 1',
      `18:00 ${CLASS} @王妈妈 理解您的着急🙏 李老师稍后私信联系您，一起看看怎么帮孩子。`,
      `18:15 ${STAFF} @王老师 ⏰ 跟进 #1（学习·中，王妈妈）认领时限 18:15 已过，仍无人认领，请协助跟进。`,
      '18:15     ▸ 认领：/认领 1',
      '18:15     ▸ 解决：/解决 1',
      '18:15     ▸ 误报：/误报 1',
      `18:30 ${STAFF} @张主任 ⏰ 跟进 #1（学习·中，王妈妈）认领时限 18:15 已过，仍无人认领，请协助跟进。`,
      '18:30     ▸ 认领：/认领 1',
      '18:30     ▸ 解决：/解决 1',
      '18:30     ▸ 误报：/误报 1',
      '⏰ 现在是 11月23日 周一 18:40',
    ]);
  });

  it('a parent cannot claim; a claim stops the escalation; resolving asks the parent, whose rating is thanked', () => {
    const input = [
      '/as 王妈妈',
      WORRIED,
      '/认领 1',
      '/in 三年级二班老师群',
      '/as 李老师',
      '/认领 1',
      '/time +40m',
      '/解决 1 已电话沟通，约了周三面谈',
      '/in 三年级二班家长群',
      '/as 王妈妈',
      '5',
    ].join('\n');
    const r = runCli(['run', '--console', '--db', db(), '--now', NOW], `${input}\n`);
    expect(r.status).toBe(0);
    const bot = r.lines.filter((l) => l.includes('🤖 classbot:')).map((l) => l.replace(/^\d\d:\d\d /, ''));
    expect(bot.slice(2)).toEqual([
      `${CLASS} @王妈妈 抱歉，这个指令只有老师和助教可以使用哦～有问题可以直接@我或私信李老师。`,
      `${STAFF} ✅ 李老师 认领了跟进 #1（王妈妈），请在 11月24日 18:00 前解决。`,
      `${CLASS} @王妈妈 您好，之前的事情李老师已经处理好了。想听听您的感受：这次的帮助您打几分？直接回复 1–5 就好（5 分最满意）。`,
      `${STAFF} ✅ 跟进 #1（王妈妈）已解决，已请家长评价。`,
      `${CLASS} 谢谢您的评价！我们会继续努力 🙏`,
    ]);
    expect(r.lines.some((l) => l.includes('⏰ 跟进'))).toBe(false);
  });
});

/**
 * Warnings about a valid playbook: settings that work but are probably a mistake, and policy
 * findings (data/policy/rules.yaml) unless the playbook acknowledges their rule in `policy_ack`.
 * `classbot check` prints them and the bot logs them on load; parents never see them.
 */
import { compileCron } from './cron.js';
import { POLICY_RULES, type PolicyRule } from './policy-rules.js';
import type { PlaybookData } from './schema.js';
import { placeholdersOf } from '../template.js';

export interface LintFinding {
  /** Where in the playbook (for file:line:col). */
  path: (string | number)[];
  message: string;
  /** The policy rule, for policy findings. */
  rule?: string;
}

type PolicyCheck = (pb: PlaybookData) => { path: (string | number)[]; detail: string }[];

/** WeChat rooms are looked up by name at start and the console is local; elsewhere the bot learns a chat's id from a message there. */
const FINDS_CHATS_BY_NAME = new Set(['wechaty', 'console']);

/** Local time after which, and before which, a post to families is late at night. */
const LATE_FROM = 21 * 60;
const EARLY_UNTIL = 6 * 60;

/** Words of texts that hand the child's work to parents. */
const PARENT_TASK_WORDS = /批改|检查[^，。；！\n]{0,8}作业|签字|签名|打印|打卡/;

const postsToFamilies = (groups: string[] | undefined) => !groups || groups.some((g) => g !== 'staff');

/** Fire times (HH:MM) of `cron` that are late at night. */
function lateTimes(cron: string): string[] {
  const spec = compileCron(cron);
  return spec.hours.flatMap((h) => spec.minutes.filter((m) => h * 60 + m > LATE_FROM || h * 60 + m < EARLY_UNTIL).map((m) => `${h}:${String(m).padStart(2, '0')}`));
}

const CHECKS: Record<string, PolicyCheck> = {
  'public-ranking': (pb) => pb.checkin.flatMap((g, i) => (g.leaderboard ? [{ path: ['checkin', i, 'leaderboard'], detail: `“${g.name}”每周在群里发排行榜` }] : [])),
  'public-naming': (pb) =>
    pb.reminders.flatMap((r, i) => {
      if (!postsToFamilies(r.groups)) return [];
      if (r.mention === 'not_checked_in') return [{ path: ['reminders', i, 'mention'], detail: `提醒“${r.id}”在群里 @ 没打卡的家长` }];
      return placeholdersOf(r.message).includes('not_checked_in') ? [{ path: ['reminders', i, 'message'], detail: `提醒“${r.id}”在群里列出没打卡的名单` }] : [];
    }),
  'late-post': (pb) => [
    ...pb.reminders.flatMap((r, i) => {
      const late = postsToFamilies(r.groups) ? lateTimes(r.cron) : [];
      return late.length ? [{ path: ['reminders', i, 'cron'], detail: `提醒“${r.id}”在 ${late.slice(0, 3).join('、')} 发到家长群` }] : [];
    }),
    ...pb.checkin.flatMap((g, i) => {
      const late = g.leaderboard ? lateTimes(g.leaderboard.cron) : [];
      return late.length ? [{ path: ['checkin', i, 'leaderboard', 'cron'], detail: `“${g.name}”的排行榜在 ${late.slice(0, 3).join('、')} 发到家长群` }] : [];
    }),
  ],
  'parent-tasks': (pb) => [
    ...pb.reminders.flatMap((r, i) => {
      const word = postsToFamilies(r.groups) ? PARENT_TASK_WORDS.exec(r.message)?.[0] : undefined;
      return word ? [{ path: ['reminders', i, 'message'], detail: `提醒“${r.id}”要家长“${word}”` }] : [];
    }),
    ...Object.entries(pb.homework).flatMap(([key, text]) => {
      const word = PARENT_TASK_WORDS.exec(text)?.[0];
      return word ? [{ path: ['homework', key], detail: `${key} 的作业要家长“${word}”` }] : [];
    }),
  ],
  'holiday-checkin': (pb) =>
    pb.checkin.flatMap((g, i) => [
      ...(g.calendar ? [] : [{ path: ['checkin', i, 'calendar'], detail: `“${g.name}”放假也照常打卡（calendar: false）` }]),
      ...(g.days.some((d) => d === 0 || d === 6) ? [{ path: ['checkin', i, 'days'], detail: `“${g.name}”周末也打卡` }] : []),
    ]),
};

function policyMessage(rule: PolicyRule, detail: string): string {
  return `政策提醒 [${rule.id}] ${rule.title}：${detail}。${rule.rule}依据：${rule.sources.join('；')}。建议：${rule.advice}确认保留请在配置里写 policy_ack: [${rule.id}]`;
}

export function lintPlaybook(pb: PlaybookData): LintFinding[] {
  const findings: LintFinding[] = [];
  const sg = pb.staff_group;
  if (sg && !sg.id && !FINDS_CHATS_BY_NAME.has(sg.platform)) {
    findings.push({ path: ['staff_group'], message: '提醒：staff_group 没有写 id。机器人要等有人在老师群里发过言才认识这个群，在那之前跟进提醒会私聊发给每位老师；请写上群的 id' });
  }
  for (const rule of POLICY_RULES) {
    if (pb.policy_ack.includes(rule.id)) continue;
    for (const f of CHECKS[rule.id]?.(pb) ?? []) findings.push({ path: f.path, message: policyMessage(rule, f.detail), rule: rule.id });
  }
  return findings;
}

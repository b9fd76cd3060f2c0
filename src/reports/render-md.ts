/**
 * Markdown: a summary short enough to paste into a chat (and what the scheduled weekly post
 * sends): the all-groups figures as a few lines, one table row per group, and who needs care.
 */
import { decimal, delta, duration, percent, rangeZh } from './format.js';
import { isOpenSafety } from './followups.js';
import type { CareEntry, GroupReport, ReportModel } from './model.js';

/** Names listed under 需要关怀 before "等 N 人". */
const CARE_NAMES = 8;

/**
 * `plain` is for chats that show markdown as typed (WeChat): no `**`, and one line per group
 * instead of a table.
 */
export function renderMarkdown(model: ReportModel, title = reportTitle(model), opts: { plain?: boolean } = {}): string {
  const a = model.all;
  const lines = [opts.plain ? `【${title}】` : `**${title}**`, '', ...summaryLines(model, a)];
  if (model.groups.length > 1) {
    if (!opts.plain) lines.push('', `| 群 | ${GROUP_COLUMNS.join(' | ')} |`, '|---|---:|---:|---:|---:|---:|---:|');
    else lines.push('');
    for (const g of model.groups) {
      const act = g.activity;
      const values = [act.members, act.activeMembers, `${act.messages}（${delta(act.messages, act.previous.messages)}）`, percent(g.checkins.completionRate, 0), g.followups.overall.opened, g.care.length];
      lines.push(
        opts.plain
          ? `· ${g.groupName}：${GROUP_COLUMNS.map((c, i) => `${c} ${values[i]}`).join('，')}`
          : `| ${cell(g.groupName)} | ${values.join(' | ')} |`,
      );
    }
  }
  if (model.pseudonymized) lines.push('', opts.plain ? '（成员姓名已替换为化名。）' : '_成员姓名已替换为化名。_');
  return `${lines.join('\n')}\n`;
}

const GROUP_COLUMNS = ['成员', '活跃', '消息', '打卡完成率', '新开跟进', '需关怀'];

export function reportTitle(model: ReportModel): string {
  const who = model.playbooks.length === 1 ? model.playbooks[0]!.name : `${model.playbooks.length} 个班级`;
  return `${who} 活动周报 ${rangeZh(model.range)}`;
}

function summaryLines(model: ReportModel, g: GroupReport): string[] {
  const act = g.activity;
  const prev = act.previous;
  const out = [
    `- 成员 ${act.members}（${delta(act.members, prev.members)}），活跃 ${act.activeMembers}（${delta(act.activeMembers, prev.activeMembers)}），消息 ${act.messages}（${delta(act.messages, prev.messages)}）`,
  ];
  const c = g.checkins;
  if (c.played) {
    const top = c.streaks[c.streaks.length - 1]!;
    const badges = c.awards.filter((x) => x.kind === 'badge').reduce((s, x) => s + x.members, 0);
    const levels = c.awards.filter((x) => x.kind === 'level').reduce((s, x) => s + x.members, 0);
    out.push(
      `- 打卡完成率 ${percent(c.completionRate)}（${c.checkins}/${c.expected}），连续 ${top.min} 天以上 ${top.members} 人，新徽章 ${badges}，新等级 ${levels}`,
    );
  }
  out.push(`- 提醒 ${g.reminders.sent} 次，提醒后当天打卡 ${g.reminders.checkinsAfter} 次`);
  const worried = g.worried.reduce((s, w) => s + w.messages, 0);
  out.push(`- 关注消息 ${worried} 条${worried ? `：${g.worried.map((w) => `${model.labels.category[w.category] ?? w.category} ${w.messages}`).join('、')}` : ''}`);
  const f = g.followups.overall;
  out.push(
    `- 跟进：新开 ${f.opened}，认领 ${f.claimed}，解决 ${f.resolved}，${model.labels.status.dismissed ?? '驳回'} ${f.dismissed}；` +
      `首次响应中位 ${duration(f.firstResponse.median)}（P90 ${duration(f.firstResponse.p90)}），解决中位 ${duration(f.resolution.median)}（P90 ${duration(f.resolution.p90)}）；` +
      `超时：响应 ${f.respondBreaches}，解决 ${f.resolveBreaches}；升级提醒 ${f.realerts} 次，解决超时提醒 ${f.overdueAnnouncements} 条；平均评分 ${decimal(f.averageRating)}（${f.ratings} 次）`,
  );
  // A safety case still open when the period ended: named first, never lost in a list.
  const safety = g.care.flatMap((e) => e.openFollowups.filter(isOpenSafety).map((f) => `#${f.id} ${e.name}（${e.groupName}，${model.labels.status[f.status] ?? f.status}）`));
  if (safety.length) out.push(`- 🚨 ${model.labels.category.safety ?? '安全'}跟进未结：${safety.join('、')}`);
  const care = g.care;
  if (care.length) {
    const names = care.slice(0, CARE_NAMES).map((e) => `${e.name}（${careReasons(e)}）`);
    out.push(`- 需要关怀 ${care.length} 人：${names.join('、')}${care.length > CARE_NAMES ? ` 等` : ''}`);
  } else {
    out.push('- 需要关怀：无');
  }
  return out;
}

export function careReasons(e: CareEntry): string {
  return [
    ...(e.inactiveDays !== null ? [`${e.inactiveDays} 天未发言`] : []),
    ...e.brokenStreaks.map((b) => `${b.game}连续 ${b.streak} 天中断`),
    ...(e.openFollowups.length ? [`${e.openFollowups.length} 件跟进未结`] : []),
  ].join('，');
}

/** Table cells may not hold a pipe or a line break. */
const cell = (s: string) => s.replace(/\|/g, '｜').replace(/\s+/g, ' ');

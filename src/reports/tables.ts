/**
 * The report as tidy tables: one row per observation, the class and group in every row, the
 * all-groups figures as rows whose group is 全部群. XLSX (a sheet each), CSV (a file each) and the
 * HTML tables are all written from these, so every format holds the same figures.
 */
import { dayRate, type DayMark } from './checkins.js';
import { localDateTime, rangeZh, shortDateZh, streakBucket } from './format.js';
import { weekdayOf, weekdayZh } from '../time.js';
import { isOpenSafety, type FollowupFigures } from './followups.js';
import type { GroupReport, ReportModel } from './model.js';

/**
 * int: a count; rate: a fraction shown as a percentage; number: a decimal with `digits`;
 * date ('YYYY-MM-DD') and datetime ('YYYY-MM-DD HH:MM', local time): text here, date cells in the XLSX.
 */
export type CellKind = 'text' | 'int' | 'rate' | 'number' | 'date' | 'datetime';
export type Cell = string | number | null;

export interface Column {
  key: string;
  label: string;
  kind: CellKind;
  digits?: number;
}

export interface ReportTable {
  /** File-safe name (CSV file, HTML id). */
  id: string;
  /** Sheet and section title. */
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** Indexes of rows to stand out (a safety case still open). */
  highlight?: number[];
}

const round = (n: number | null, digits: number): number | null => (n === null ? null : Number(n.toFixed(digits)));
/** Rates keep four decimals (a tenth of a percent and then some). */
const rate = (n: number | null) => round(n, 4);
const hours = (minutes: number | null) => round(minutes === null ? null : minutes / 60, 2);
const yesNo = (b: boolean) => (b ? '是' : '否');

const text = (key: string, label: string): Column => ({ key, label, kind: 'text' });
const int = (key: string, label: string): Column => ({ key, label, kind: 'int' });
const num = (key: string, label: string, digits: number): Column => ({ key, label, kind: 'number', digits });
const pct = (key: string, label: string): Column => ({ key, label, kind: 'rate' });
const date = (key: string, label: string): Column => ({ key, label, kind: 'date' });
const datetime = (key: string, label: string): Column => ({ key, label, kind: 'datetime' });

/** How a day of the check-in grid reads. */
const MARK: Record<DayMark, string> = { done: '✓', excused: '假', missed: '✗', off: '休', ahead: '', absent: '—' };

/** Indexes of the rows that match. */
const indexesOf = <T>(list: T[], p: (x: T) => boolean) => list.flatMap((x, i) => (p(x) ? [i] : []));

const WHERE = [text('class', '班级'), text('group', '群')];
const where = (g: GroupReport) => ({ class: g.playbookName, group: g.groupName });

export function reportTables(model: ReportModel): ReportTable[] {
  // The all-groups rows would repeat the one group's.
  const sections = model.groups.length > 1 ? [...model.groups, model.all] : model.groups;
  const playing = sections.filter((g) => g.checkins.played);
  const category = (c: string) => (c === '*' ? '全部' : model.labels.category[c] ?? c);
  const tz = (g: GroupReport) => model.playbooks.find((p) => p.id === g.playbookId)?.timezone ?? 'Asia/Shanghai';
  const followupRow = (g: GroupReport, f: FollowupFigures) => ({
    ...where(g),
    category: category(f.category),
    opened: f.opened,
    claimed: f.claimed,
    resolved: f.resolved,
    dismissed: f.dismissed,
    responseMedian: round(f.firstResponse.median, 1),
    responseP90: round(f.firstResponse.p90, 1),
    resolutionMedian: hours(f.resolution.median),
    resolutionP90: hours(f.resolution.p90),
    respondDeadline: round(f.respondDeadline, 1),
    respondBreaches: f.respondBreaches,
    resolveBreaches: f.resolveBreaches,
    ratings: f.ratings,
    averageRating: round(f.averageRating, 2),
    realerts: f.realerts,
    overdueAnnouncements: f.overdueAnnouncements,
  });
  const gridDays = [...new Set(model.groups.flatMap((g) => g.checkins.days.map((d) => d.date)))].sort();
  const items = model.groups.flatMap((g) => g.followups.items.map((i) => ({ g, i })));
  const care = model.groups.flatMap((g) => g.care.map((c) => ({ g, c })));

  return [
    {
      id: 'info',
      title: '报告信息',
      columns: [text('item', '项目'), text('value', '内容')],
      rows: [
        { item: '周期', value: rangeZh(model.range) },
        { item: '对比周期', value: `${model.previous.from} 至 ${model.previous.to}` },
        { item: '班级', value: model.playbooks.map((p) => p.name).join('、') },
        { item: '生成时间', value: localDateTime(model.generatedAt, model.playbooks[0]?.timezone ?? 'Asia/Shanghai') },
        { item: '成员姓名', value: model.pseudonymized ? '已替换为化名' : '实名（仅限校内使用）' },
      ],
    },
    {
      id: 'activity',
      title: '活跃度',
      columns: [
        ...WHERE,
        int('members', '成员'), int('active', '活跃成员'), int('messages', '消息'),
        int('prevMembers', '上期成员'), int('prevActive', '上期活跃成员'), int('prevMessages', '上期消息'),
        int('membersChange', '成员变化'), int('activeChange', '活跃成员变化'), int('messagesChange', '消息变化'),
      ],
      rows: sections.map((g) => {
        const a = g.activity;
        const p = a.previous;
        return {
          ...where(g),
          members: a.members, active: a.activeMembers, messages: a.messages,
          prevMembers: p.members, prevActive: p.activeMembers, prevMessages: p.messages,
          membersChange: a.members - p.members, activeChange: a.activeMembers - p.activeMembers, messagesChange: a.messages - p.messages,
        };
      }),
    },
    {
      id: 'checkin_days',
      title: '每日打卡',
      columns: [...WHERE, date('date', '日期'), text('gameDay', '打卡日'), int('members', '成员'), int('checkedIn', '已打卡'), int('excused', '请假'), pct('rate', '参与率')],
      rows: playing.flatMap((g) =>
        g.checkins.days.map((d) => ({
          ...where(g),
          date: d.date,
          gameDay: yesNo(d.gameDay),
          members: d.members,
          checkedIn: d.checkedIn,
          excused: d.excused,
          rate: rate(dayRate(d)),
        })),
      ),
    },
    {
      id: 'checkin_grid',
      title: '打卡明细',
      columns: [
        ...WHERE, text('member', '成员'), text('game', '打卡'),
        ...gridDays.map((d) => text(d, `${shortDateZh(d).replace('月', '/').replace('日', '')} ${weekdayZh(weekdayOf(d))}`)),
        int('done', '打卡天数'),
      ],
      rows: playing.filter((g) => g.playbookId !== null).flatMap((g) =>
        g.checkins.grid.map((r) => ({
          ...where(g),
          member: r.name,
          game: r.game,
          ...Object.fromEntries(gridDays.map((d) => [d, r.marks[d] ? MARK[r.marks[d]] : null])),
          done: Object.values(r.marks).filter((m) => m === 'done').length,
        })),
      ),
    },
    {
      id: 'checkins',
      title: '打卡完成率',
      columns: [...WHERE, int('checkins', '打卡次数'), int('expected', '应打卡次数'), pct('completion', '完成率')],
      rows: playing.map((g) => ({ ...where(g), checkins: g.checkins.checkins, expected: g.checkins.expected, completion: rate(g.checkins.completionRate) })),
    },
    {
      id: 'streaks',
      title: '连续打卡分布',
      columns: [...WHERE, text('streak', '连续天数'), int('members', '人数')],
      rows: playing.flatMap((g) => g.checkins.streaks.map((b) => ({ ...where(g), streak: streakBucket(b.min, b.max), members: b.members }))),
    },
    {
      id: 'awards',
      title: '徽章与等级',
      columns: [...WHERE, text('kind', '类型'), text('name', '名称'), int('members', '达成人数')],
      rows: playing.flatMap((g) => g.checkins.awards.map((a) => ({ ...where(g), kind: a.kind === 'badge' ? '徽章' : '等级', name: a.name, members: a.members }))),
    },
    {
      id: 'reminders',
      title: '提醒',
      columns: [...WHERE, int('sent', '提醒次数'), int('checkinsAfter', '提醒后打卡')],
      rows: sections.map((g) => ({ ...where(g), sent: g.reminders.sent, checkinsAfter: g.reminders.checkinsAfter })),
    },
    {
      id: 'worried',
      title: '关注消息',
      columns: [...WHERE, text('category', '类别'), int('messages', '消息数')],
      rows: sections.flatMap((g) => g.worried.map((w) => ({ ...where(g), category: category(w.category), messages: w.messages }))),
    },
    {
      id: 'followups',
      title: '跟进',
      columns: [
        ...WHERE, text('category', '类别'),
        int('opened', '新开'), int('claimed', '认领'), int('resolved', model.labels.status.resolved ?? '已解决'), int('dismissed', model.labels.status.dismissed ?? '驳回'),
        num('responseMedian', '首次响应中位数（分钟）', 1), num('responseP90', '首次响应P90（分钟）', 1),
        num('resolutionMedian', '解决用时中位数（小时）', 2), num('resolutionP90', '解决用时P90（小时）', 2),
        num('respondDeadline', '响应时限（分钟）', 1), int('respondBreaches', '响应超时'), int('resolveBreaches', '解决超时'),
        int('ratings', '评分次数'), num('averageRating', '平均评分', 2), int('realerts', '升级提醒'), int('overdueAnnouncements', '解决超时提醒'),
      ],
      rows: sections.flatMap((g) => [followupRow(g, g.followups.overall), ...g.followups.byCategory.map((f) => followupRow(g, f))]),
    },
    {
      id: 'staff',
      title: '老师跟进',
      columns: [
        ...WHERE, text('assignee', '负责人'), int('cases', '跟进数'), int('opened', '新开'),
        num('responseMedian', '首次响应中位数（分钟）', 1), int('respondBreaches', '响应超时'), int('resolveBreaches', '解决超时'),
        int('ratings', '评分次数'), num('averageRating', '平均评分', 2),
      ],
      rows: sections.flatMap((g) =>
        g.followups.byAssignee.map((f) => ({
          ...where(g),
          assignee: f.assignee ?? '（无人负责）',
          cases: f.cases,
          opened: f.opened,
          responseMedian: round(f.firstResponse.median, 1),
          respondBreaches: f.respondBreaches,
          resolveBreaches: f.resolveBreaches,
          ratings: f.ratings,
          averageRating: round(f.averageRating, 2),
        })),
      ),
    },
    {
      id: 'followup_items',
      title: '跟进明细',
      columns: [
        int('id', '编号'), ...WHERE, text('category', '类别'), text('member', '家长'), text('assignee', '负责人'), datetime('openedAt', '开启时间'),
        text('status', '期末状态'), num('response', '首次响应（分钟）', 1), num('resolution', '解决用时（小时）', 2),
        num('respondDeadline', '响应时限（分钟）', 1), num('resolveDeadline', '解决时限（小时）', 2),
        text('respondBreach', '响应超时'), text('resolveBreach', '解决超时'), int('rating', '评分'),
        int('realerts', '升级提醒'), text('overdueAnnounced', '已发解决超时提醒'),
      ],
      highlight: indexesOf(items, ({ i }) => isOpenSafety(i)),
      rows: items.map(({ g, i }) => ({
          id: i.id,
          ...where(g),
          category: category(i.category),
          member: i.member,
          assignee: i.assignee,
          openedAt: localDateTime(i.openedAt, tz(g)),
          status: model.labels.status[i.status] ?? i.status,
          response: round(i.firstResponseMinutes, 1),
          resolution: hours(i.resolutionMinutes),
          respondDeadline: round(i.respondDeadlineMinutes, 1),
          resolveDeadline: hours(i.resolveDeadlineMinutes),
          respondBreach: yesNo(i.respondBreach),
          resolveBreach: yesNo(i.resolveBreach),
          rating: i.rating,
          realerts: i.realerts,
          overdueAnnounced: yesNo(i.overdueAnnounced),
        })),
    },
    {
      id: 'care',
      title: '需要关怀',
      columns: [...WHERE, text('member', '成员'), int('inactiveDays', '未发言天数'), date('lastSeen', '最后发言'), text('brokenStreaks', '中断的连续打卡'), text('openFollowups', '未结跟进')],
      highlight: indexesOf(care, ({ c }) => c.openFollowups.some(isOpenSafety)),
      rows: care.map(({ g, c }) => ({
          ...where(g),
          member: c.name,
          inactiveDays: c.inactiveDays,
          lastSeen: c.lastSeen,
          brokenStreaks: c.brokenStreaks.map((b) => `${b.game} ${b.streak} 天（最后打卡 ${b.lastDay}）`).join('；') || null,
          openFollowups: c.openFollowups.map((f) => `#${f.id} ${category(f.category)}·${model.labels.status[f.status] ?? f.status}`).join('；') || null,
        })),
    },
  ];
}

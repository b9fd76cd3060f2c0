/**
 * A known fortnight of class-group activity for the report tests: ISO week 2026-W47
 * (Mon 16 – Sun 22 November, Asia/Shanghai) and the week before it. Chat messages and reminders go
 * through the real engine (members post, the clock moves, the scheduler fires); the detector's
 * verdicts, check-ins and follow-ups are written with their features' own store helpers at chosen
 * times, so every figure of the report is known in advance (see EXPECTED in tests/reports.test.ts).
 */
import { recordAward, recordCheckin, type CheckinKind } from '../../src/features/checkin/records.js';
import { followupRepo, type Followup } from '../../src/features/followups/repo.js';
import { weekRange } from '../../src/reports/range.js';
import { testBot, type RecordingAdapter, type TestBot } from './harness.js';

export const WEEK = '2026-W47';
export const RANGE = weekRange(WEEK)!;
/** The Monday morning the report is made. */
export const REPORT_NOW = Date.parse('2026-11-23T09:00:00+08:00');

export const PLAYBOOK = `id: g3
name: 三年级二班
timezone: Asia/Shanghai
groups:
  - { key: a, platform: console, id: chat-a, name: 三年级二班A群 }
  - { key: b, platform: console, id: chat-b, name: 三年级二班B群 }
staff_group: { platform: console, id: chat-staff, name: 三年级二班老师群 }
staff:
  - { name: 李老师, role: assistant, ids: { console: li } }
  - { name: 王老师, role: head_teacher, ids: { console: wang } }
  - { name: 张主任, role: coordinator, ids: { console: zhang } }
checkin:
  - id: read
    name: 晨读
    trigger: { keywords: [晨读打卡] }
    badges: [{ days: 3, name: 三日之星 }]
    levels: [{ checkins: 5, name: 青铜 }]
reminders:
  - id: read
    cron: "0 19 * * *"
    groups: [a, b]
    message: 今晚记得晨读打卡哦～
`;

export const PEOPLE = {
  wang: { id: 'wang_m', name: '王妈妈' },
  li: { id: 'li_b', name: '李爸爸' },
  chen: { id: 'chen_m', name: '陈妈妈' },
  zhao: { id: 'zhao_b', name: '赵爸爸' },
  zhang: { id: 'zhang_m', name: '张妈妈' },
  liu: { id: 'liu_b', name: '刘爸爸' },
  teacher: { id: 'li', name: '李老师' },
} as const;
type Person = keyof typeof PEOPLE;

const at = (local: string) => Date.parse(`${local}+08:00`);

export interface ReportWeek {
  t: TestBot;
  memberId(p: Person): number;
}

/**
 * `extraYaml` is appended to the playbook (e.g. a `reports:` block); `workDir` is where the bot
 * writes report files, `adapter` the recording platform (e.g. one without files).
 */
export async function buildReportWeek(opts: { dbPath?: string; extraYaml?: string; workDir?: string; adapter?: RecordingAdapter } = {}): Promise<ReportWeek> {
  const t = await testBot(
    { 'g3.yaml': PLAYBOOK + (opts.extraYaml ?? '') },
    {
      now: '2026-11-02T08:00:00+08:00',
      dbPath: opts.dbPath ?? ':memory:',
      ...(opts.workDir ? { workDir: opts.workDir } : {}),
      ...(opts.adapter ? { adapter: opts.adapter } : {}),
    },
  );
  const store = t.bot.store;
  const post = async (when: string, who: Person, group: 'a' | 'b', text: string, worry?: string) => {
    t.clock.set(at(when));
    const msg = await t.say(PEOPLE[who], text, { groupId: `chat-${group}`, groupName: group === 'a' ? '三年级二班A群' : '三年级二班B群' });
    if (worry) {
      // The detector's verdict, set by hand on a neutral text: the real detector (and the follow-ups
      // it would open) must not change this week's figures.
      store.sqlite.prepare(`UPDATE messages SET worry_label = ?, worry_severity = 'medium' WHERE event_id = ?`).run(worry, msg.eventId);
    }
  };
  const remind = async (when: string) => {
    t.clock.set(at(when));
    await t.bot.tick();
  };

  // Before: two families join group A.
  await post('2026-11-02T10:00', 'zhao', 'a', '大家好');
  await post('2026-11-02T10:05', 'chen', 'a', '大家好');
  // W46 (the previous week).
  await post('2026-11-10T09:00', 'wang', 'a', '收到');
  await post('2026-11-10T09:05', 'wang', 'a', '谢谢老师');
  await post('2026-11-11T10:00', 'li', 'a', '好的');
  await post('2026-11-12T10:00', 'zhang', 'b', '收到');
  await post('2026-11-13T10:00', 'chen', 'a', '好的');
  // W47.
  await post('2026-11-16T08:00', 'wang', 'a', '早上好');
  await post('2026-11-16T08:30', 'li', 'a', '好的');
  await post('2026-11-16T08:40', 'teacher', 'a', '各位家长早上好');
  await post('2026-11-16T09:00', 'zhang', 'b', '收到');
  await remind('2026-11-16T19:00');
  await post('2026-11-17T08:00', 'wang', 'a', '老师您好', 'academic');
  await post('2026-11-18T08:00', 'wang', 'a', '谢谢');
  await post('2026-11-18T09:00', 'liu', 'b', '大家好');
  await remind('2026-11-18T19:00');
  await post('2026-11-19T09:30', 'zhang', 'b', '老师您好', 'safety');
  await post('2026-11-22T23:00', 'liu', 'b', '老师您好', 'wellbeing');

  const ids = new Map<Person, number>();
  for (const p of Object.keys(PEOPLE) as Person[]) {
    ids.set(p, (store.sqlite.prepare(`SELECT id FROM members WHERE user_id = ?`).get(PEOPLE[p].id) as { id: number }).id);
  }
  const memberId = (p: Person) => ids.get(p)!;

  // Check-ins of the 晨读 game (times matter for "check-ins after a reminder").
  const checkin = (who: Person, group: 'a' | 'b', when: string, kind: CheckinKind = 'normal') =>
    recordCheckin(store, { playbookId: 'g3', gameId: 'read', groupKey: group, memberId: memberId(who) }, { day: when.slice(0, 10), kind, now: at(when) });
  for (const d of ['13', '14', '15', '17', '18', '19', '20', '21', '22']) checkin('wang', 'a', `2026-11-${d}T07:30`);
  checkin('wang', 'a', '2026-11-16T20:00');
  for (const d of ['14', '15', '16', '17']) checkin('li', 'a', `2026-11-${d}T07:30`);
  checkin('li', 'a', '2026-11-18T19:30');
  checkin('zhao', 'a', '2026-11-20T12:00', 'excused');
  checkin('zhang', 'b', '2026-11-16T19:10');
  for (const d of ['17', '18', '19', '20', '21', '22']) checkin('zhang', 'b', `2026-11-${d}T08:00`);
  checkin('liu', 'b', '2026-11-18T21:00');
  checkin('liu', 'b', '2026-11-19T08:00');
  const award = (who: Person, group: 'a' | 'b', kind: 'badge' | 'level', name: string, threshold: number, day: string) =>
    recordAward(store, { playbookId: 'g3', gameId: 'read', groupKey: group, memberId: memberId(who) }, { kind, name, threshold, day }, at(`${day}T20:00`));
  award('wang', 'a', 'badge', '三日之星', 3, '2026-11-15');
  award('wang', 'a', 'level', '青铜', 5, '2026-11-17');
  award('li', 'a', 'badge', '三日之星', 3, '2026-11-16');
  award('li', 'a', 'level', '青铜', 5, '2026-11-18');
  award('zhang', 'b', 'badge', '三日之星', 3, '2026-11-18');

  // Follow-ups, with their audit trail, through the follow-up feature's repository.
  const repo = followupRepo(store);
  const groupRow = (key: string) => (store.sqlite.prepare(`SELECT id FROM groups WHERE group_key = ?`).get(key) as { id: number }).id;
  const open = (who: Person, group: 'a' | 'b' | null, category: string, opened: string, respondMin: number, resolveMin: number): Followup => {
    const o = at(opened);
    return repo.insert(
      {
        playbookId: 'g3', platform: 'console', groupId: group ? groupRow(group) : null, memberId: memberId(who), messageId: null, message: null,
        category, severity: 'medium', source: 'detector', assignee: '李老师', score: null, reasons: null,
        openedAt: o, respondBy: o + respondMin * 60_000, resolveBy: o + resolveMin * 60_000, escalationLevel: 0, escalateAt: null,
      },
      'system',
      null,
    );
  };
  // F1 academic in A: claimed after 10 min, resolved after 4 h, rated 5.
  let f = open('wang', 'a', 'academic', '2026-11-17T08:00', 15, 24 * 60);
  f = repo.change(f, { status: 'claimed', claimedAt: at('2026-11-17T08:10') }, at('2026-11-17T08:10'), '李老师', 'claimed');
  f = repo.change(f, { status: 'resolved', resolvedAt: at('2026-11-17T12:00'), firstResponseAt: at('2026-11-17T12:00') }, at('2026-11-17T12:00'), '李老师', 'resolved');
  repo.change(f, { rating: 5, ratedAt: at('2026-11-17T13:00') }, at('2026-11-17T13:00'), '王妈妈', 'rated');
  // F2 safety in B: claimed after 30 min (deadline 10 min), resolved after 3 h (deadline 2 h), rated 3.
  f = open('zhang', 'b', 'safety', '2026-11-19T10:00', 10, 120);
  f = repo.change(f, { status: 'claimed', claimedAt: at('2026-11-19T10:30') }, at('2026-11-19T10:30'), '李老师', 'claimed');
  f = repo.change(f, { status: 'resolved', resolvedAt: at('2026-11-19T13:00'), firstResponseAt: at('2026-11-19T13:00') }, at('2026-11-19T13:00'), '李老师', 'resolved');
  repo.change(f, { rating: 3, ratedAt: at('2026-11-19T14:00') }, at('2026-11-19T14:00'), '张妈妈', 'rated');
  // F3 complaint by direct message from 陈妈妈 (group A's parent): claimed after 5 min, still open.
  f = open('chen', null, 'complaint', '2026-11-21T20:00', 30, 48 * 60);
  repo.change(f, { status: 'claimed', claimedAt: at('2026-11-21T20:05') }, at('2026-11-21T20:05'), '李老师', 'claimed');
  // F4 question in A, opened the week before, dismissed on Monday.
  f = open('li', 'a', 'question', '2026-11-14T10:00', 15, 24 * 60);
  repo.change(f, { status: 'dismissed', resolvedAt: at('2026-11-16T09:00') }, at('2026-11-16T09:00'), '李老师', 'dismissed');
  // F5 wellbeing in B, opened late on Sunday and not answered by its deadline.
  open('liu', 'b', 'wellbeing', '2026-11-22T23:00', 15, 24 * 60);

  t.clock.set(REPORT_NOW);
  return { t, memberId };
}

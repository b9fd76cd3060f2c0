/**
 * The follow-up repo keeps every open follow-up in memory after its first read, so a message costs
 * no query for them. These prove it never acts on a follow-up that is not (or no longer) what the
 * database holds: after a rolled-back message, and after another connection changed a follow-up.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Feature } from '../src/engine/feature.js';
import { faqFeature } from '../src/features/faq.js';
import { followupsFeature, unansweredQuestionsFeature } from '../src/features/followups/index.js';
import { followupRepo, type NewFollowup } from '../src/features/followups/repo.js';
import { openStore } from '../src/store/db.js';
import { classPlaybook, FAQ_BLOCK, playbookDir, testBot, type TestBot } from './helpers/harness.js';

const WORRIED = '孩子最近作业写到十一点，跟不上，好焦虑';
const AGAIN = '作业还是跟不上，孩子每天都很焦虑';

let running: TestBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const followups = (t: TestBot) =>
  t.bot.store.sqlite.prepare('SELECT id, category, status FROM followups ORDER BY id').all() as { id: number; category: string; status: string }[];
const staffTexts = (t: TestBot) => t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'staff-1').map((m) => m.text.split('\n')[0]);

describe('cached open follow-ups', () => {
  it('a follow-up opened by a message that was then rolled back is not joined by the next worried message', async () => {
    let armed = true;
    // Fails after the follow-ups feature opened one, so the engine rolls the whole message back.
    const boom: Feature = {
      name: 'boom',
      onMessage: () => {
        if (armed) throw new Error('bug');
      },
    };
    const t = (running = await testBot({ 'c1.yaml': classPlaybook(FAQ_BLOCK) }, {
      now: '2026-11-23T18:00:00+08:00',
      features: [followupsFeature, boom, faqFeature, unansweredQuestionsFeature],
    }));
    armed = false;
    await t.say('赵爸爸', '请问明天上课吗？');
    armed = true;
    await t.say('王妈妈', WORRIED);
    expect(followups(t)).toEqual([]);
    expect(t.adapter.sent).toEqual([]);

    armed = false;
    await t.say('王妈妈', AGAIN);
    expect(followups(t)).toEqual([{ id: 1, category: 'academic', status: 'open' }]);
    expect(staffTexts(t)).toEqual(['🔔 跟进 #1｜学习·中']);
  });

  it('a follow-up resolved by another process is not joined by the parent’s next worried message', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'classbot-fu-cache-')), 'bot.db');
    const t = (running = await testBot(playbookDir({ 'c1.yaml': classPlaybook() }), { dbPath: path, now: '2026-11-23T18:00:00+08:00' }));
    await t.say('王妈妈', WORRIED);
    expect(followups(t)).toEqual([{ id: 1, category: 'academic', status: 'open' }]);

    // The CLI resolving it: another connection, through the same repository code.
    const cli = openStore(path);
    try {
      const repo = followupRepo(cli);
      repo.change(repo.get(1)!, { status: 'resolved', resolvedAt: t.clock.now() }, t.clock.now(), '李老师', 'resolved');
    } finally {
      cli.close();
    }

    t.clock.advance(60_000);
    await t.say('王妈妈', AGAIN);
    expect(followups(t)).toEqual([
      { id: 1, category: 'academic', status: 'resolved' },
      { id: 2, category: 'academic', status: 'open' },
    ]);
    expect(staffTexts(t)).toEqual(['🔔 跟进 #1｜学习·中', '🔔 跟进 #2｜学习·中']);
  });

  it('a worried message joins the open follow-up its parent already has, and a question opened elsewhere is seen as waiting', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'classbot-fu-cache-')), 'bot.db');
    const t = (running = await testBot(playbookDir({ 'c1.yaml': classPlaybook() }), { dbPath: path, now: '2026-11-23T18:00:00+08:00' }));
    await t.say('王妈妈', WORRIED);
    await t.say('王妈妈', AGAIN);
    expect(followups(t)).toEqual([{ id: 1, category: 'academic', status: 'open' }]);

    // Another process opens a question follow-up for her, unanswered for an hour.
    const member = (t.bot.store.sqlite.prepare(`SELECT id FROM members WHERE user_id = '王妈妈'`).get() as { id: number }).id;
    const other = openStore(path);
    try {
      const opened = t.clock.now() - 3_600_000;
      const question: NewFollowup = {
        playbookId: 'c1', platform: 'console', groupId: null, memberId: member, messageId: null, message: '下周还上课吗？', category: 'question',
        severity: 'low', source: 'question', assignee: '李老师', score: null, reasons: null, openedAt: opened, respondBy: opened, resolveBy: opened,
        escalationLevel: 0, escalateAt: null,
      };
      const f = followupRepo(other).insert(question, 'system', null);
      // What insert returns is what the database holds.
      expect(f).toEqual(followupRepo(other).get(f.id));
    } finally {
      other.close();
    }

    await t.say('王妈妈', '请问明天上课吗');
    const row = t.bot.store.sqlite.prepare(`SELECT worry_label AS label, worry_severity AS severity FROM messages WHERE text = '请问明天上课吗'`).get();
    expect(row).toEqual({ label: 'complaint', severity: 'low' });
  });

  it('a parent who joined after the cache began has her next worried message added to her open follow-up', async () => {
    const t = (running = await testBot({ 'c1.yaml': classPlaybook() }, { now: '2026-11-23T18:00:00+08:00' }));
    await t.say('赵爸爸', '请问明天上课吗？');
    await t.say('王妈妈', WORRIED);
    await t.say('王妈妈', AGAIN);
    expect(followups(t)).toEqual([{ id: 1, category: 'academic', status: 'open' }]);
    const staff = t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'staff-1');
    expect(staff).toHaveLength(2);
    expect(staff[1]!.text).toContain(AGAIN);
  });
});

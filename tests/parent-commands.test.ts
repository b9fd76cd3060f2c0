/**
 * Commands as parents meet them (#18 item 9), on the real engine: 我的打卡 in a direct chat answers
 * for the member's class groups, and /帮助 in a class group lists only what parents can use, even
 * when staff ask; staff see their commands in the staff group and in a direct chat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGES } from '../src/messages.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const GAME = `
checkin:
  - { id: reading, name: 晨读, trigger: { keywords: [打卡] }, makeup: { per_month: 2 } }
`;
/** The same class with a second parents' group (a grade's two sections share one playbook). */
const TWO_GROUPS = classPlaybook(GAME).replace(
  'staff_group:',
  `  - key: class2
    platform: console
    id: class-2
    name: 三年级二班家长二群
staff_group:`,
);
const DIRECT = { chatType: 'direct' as const, groupId: null, addressed: true };
const IN_STAFF = { groupId: 'staff-1', groupName: '老师群' };
const IN_CLASS2 = { groupId: 'class-2', groupName: '三年级二班家长二群' };

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

describe('我的打卡 in a direct chat', () => {
  it('answers for the class group the parent is in, without @', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) });
    await t.say('王妈妈', '打卡');
    await t.say('王妈妈', '我的打卡', DIRECT);
    const answer = t.adapter.sent.filter((m) => m.target.kind === 'direct').at(-1)!;
    expect(answer.text).toBe('📒 王妈妈 的打卡记录：\n晨读：已连续 1 天，本月 1 天，累计 1 天；徽章：暂无；关卡：暂无（本月还可补卡 2 次）');
    expect(answer.mentions ?? []).toEqual([]);
  });

  it('answers for each class group when the parent is in several', async () => {
    t = await testBot({ 'c1.yaml': TWO_GROUPS });
    await t.say('王妈妈', '打卡');
    await t.say('王妈妈', '你好', IN_CLASS2);
    await t.say('王妈妈', '我的打卡', DIRECT);
    expect(t.adapter.textsTo('王妈妈').at(-1)).toBe(
      [
        '📒 王妈妈 的打卡记录：',
        '【三年级二班家长群】',
        '晨读：已连续 1 天，本月 1 天，累计 1 天；徽章：暂无；关卡：暂无（本月还可补卡 2 次）',
        '【三年级二班家长二群】',
        '晨读：已连续 0 天，本月 0 天，累计 0 天；徽章：暂无；关卡：暂无（本月还可补卡 2 次）',
      ].join('\n'),
    );
  });

  it('says why when it knows no class group of the parent', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) });
    await t.say('赵爸爸', '我的打卡', DIRECT);
    expect(t.adapter.textsTo('赵爸爸')).toEqual([DEFAULT_MESSAGES.checkin_mine_no_class]);
  });

  it('still asks for the class group in the staff group', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) });
    await t.say({ id: 'li', name: '李老师' }, '我的打卡', IN_STAFF);
    expect(t.adapter.textsTo('staff-1')).toEqual([DEFAULT_MESSAGES.checkin_in_class_only]);
  });
});

describe('/帮助 lists what its readers can use', () => {
  const STAFF_COMMAND = '/未打卡';
  const help = (texts: string[]) => texts.find((x) => x.startsWith(DEFAULT_MESSAGES.help_header))!;

  it('gives staff in a class group the parents’ list', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) });
    await t.say({ id: 'li', name: '李老师' }, '/帮助');
    await t.say('王妈妈', '/帮助');
    const [fromStaff, fromParent] = t.adapter.textsTo('class-1');
    expect(fromStaff).toContain('/我的打卡');
    expect(fromStaff).not.toContain(STAFF_COMMAND);
    expect(fromStaff).toBe(fromParent);
  });

  it('gives staff their commands in the staff group and a direct chat, and parents never', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) });
    await t.say({ id: 'li', name: '李老师' }, '/帮助', IN_STAFF);
    expect(help(t.adapter.textsTo('staff-1'))).toContain(STAFF_COMMAND);
    await t.say({ id: 'li', name: '李老师' }, '/帮助', DIRECT);
    expect(help(t.adapter.textsTo('li'))).toContain(STAFF_COMMAND);
    await t.say('王妈妈', '/帮助', DIRECT);
    expect(help(t.adapter.textsTo('王妈妈'))).not.toContain(STAFF_COMMAND);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { botAddedEvent, chatRenamedEvent, membersEvent, messageEvent, recalledEvent } from '../fakes/lark/events.js';
import { larkRig, type LarkRig } from '../fakes/lark/harness.js';

const GROUP = 'oc_class3';
const GROUP_NAME = '三年级二班家长群';
const PARENT = 'ou_parent_wang';
const AT = 1_760_000_123_000;

let rig: LarkRig;

async function startRig(): Promise<LarkRig> {
  rig = await larkRig();
  rig.fake.users.set(PARENT, '王小明妈妈');
  rig.fake.chats.set(GROUP, GROUP_NAME);
  return rig;
}

afterEach(async () => {
  await rig?.stop();
});

describe('Lark events besides messages (real SDK over the fake long connection)', () => {
  it('the bot added to a chat: group-seen with its chat_id and name at once, before anyone speaks', async () => {
    await startRig();
    const ack = await rig.fake.pushEvent(botAddedEvent({ chatId: 'oc_new', name: '四年级一班家长群', createTime: AT }));
    expect(ack.code).toBe(200);
    expect(await rig.events.next()).toEqual({ kind: 'group-seen', platform: 'lark', groupId: 'oc_new', groupName: '四年级一班家长群', at: AT });
  });

  it('an added-bot event without the name: the name comes from the chat API', async () => {
    await startRig();
    await rig.fake.pushEvent(botAddedEvent({ chatId: GROUP, name: '' }));
    expect(await rig.events.next()).toMatchObject({ kind: 'group-seen', groupId: GROUP, groupName: GROUP_NAME });
  });

  it("the first message from a group says group-seen once, before the message; the group's later messages do not", async () => {
    await startRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_1', chatId: GROUP, sender: PARENT, content: { text: '早' }, createTime: AT }));
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_2', chatId: GROUP, sender: PARENT, content: { text: '好' } }));
    await rig.inbox.next();
    await rig.inbox.next();
    expect(rig.events.all).toEqual([{ kind: 'group-seen', platform: 'lark', groupId: GROUP, groupName: GROUP_NAME, at: AT }]);
  });

  it('a renamed chat: group-seen with the new name, and its messages carry it from then on', async () => {
    await startRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_1', chatId: GROUP, sender: PARENT, content: { text: '早' } }));
    await rig.inbox.next();
    rig.fake.chats.set(GROUP, '三年级二班家校群');
    await rig.fake.pushEvent(chatRenamedEvent({ chatId: GROUP, before: GROUP_NAME, after: '三年级二班家校群', createTime: AT }));
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_2', chatId: GROUP, sender: PARENT, content: { text: '好' } }));
    expect((await rig.inbox.next()).groupName).toBe('三年级二班家校群');
    expect(rig.events.all.map((e) => (e.kind === 'group-seen' ? e.groupName : e.kind))).toEqual([GROUP_NAME, '三年级二班家校群']);
    expect(rig.events.all[1]).toMatchObject({ groupId: GROUP, at: AT });
  });

  it('a failing event handler does not keep the message from the core', async () => {
    rig = await larkRig({
      onEvent: () => {
        throw new Error('database is locked');
      },
    });
    rig.fake.chats.set(GROUP, GROUP_NAME);
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_1', chatId: GROUP, sender: PARENT, content: { text: '早' } }));
    expect((await rig.inbox.next()).eventId).toBe('om_1');
  });

  it('a recalled message: recalled, with the eventId its InboundMessage had', async () => {
    await startRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_oops', chatId: GROUP, sender: PARENT, content: { text: '发错群了' } }));
    const msg = await rig.inbox.next();
    await rig.fake.pushEvent(recalledEvent({ messageId: 'om_oops', chatId: GROUP, recallTime: AT }));
    await rig.events.next(); // group-seen, from the message
    expect(await rig.events.next()).toEqual({ kind: 'recalled', platform: 'lark', groupId: GROUP, eventId: msg.eventId, at: AT });
  });

  it('people joining and leaving: membership with their open_ids and names', async () => {
    await startRig();
    await rig.fake.pushEvent(membersEvent({ change: 'added', chatId: GROUP, users: [{ openId: 'ou_new_dad', name: '李华爸爸', tenantKey: 'tenant_other' }], createTime: AT }));
    await rig.fake.pushEvent(membersEvent({ change: 'deleted', chatId: GROUP, users: [{ openId: PARENT, name: '王小明妈妈' }], createTime: AT + 1 }));
    expect(await rig.events.next()).toEqual({ kind: 'membership', platform: 'lark', groupId: GROUP, joined: [{ id: 'ou_new_dad', name: '李华爸爸' }], left: [], at: AT });
    expect(await rig.events.next()).toEqual({ kind: 'membership', platform: 'lark', groupId: GROUP, joined: [], left: [{ id: PARENT, name: '王小明妈妈' }], at: AT + 1 });
  });

  it("ignores messages from other bots (sender_type app): answering them could loop", async () => {
    await startRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_bot', chatId: GROUP, sender: 'ou_other_bot', senderType: 'app', content: { text: '打卡 20分钟' } }));
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_user', chatId: GROUP, sender: PARENT, content: { text: '打卡 20分钟' } }));
    expect((await rig.inbox.next()).eventId).toBe('om_user');
    expect(rig.inbox.all).toHaveLength(1);
  });

  it('skips a malformed recall (no message_id) without losing the next event', async () => {
    await startRig();
    const bad = recalledEvent({ messageId: 'om_x', chatId: GROUP }) as { event: Record<string, unknown> };
    delete bad.event.message_id;
    await rig.fake.pushEvent(bad);
    await rig.fake.pushEvent(recalledEvent({ messageId: 'om_y', chatId: GROUP }));
    expect(await rig.events.next()).toMatchObject({ kind: 'recalled', eventId: 'om_y' });
    expect(rig.events.all).toHaveLength(1);
  });
});

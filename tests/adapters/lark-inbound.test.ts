import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/model.js';
import { cardActionEvent, membersEvent, messageEvent } from '../fakes/lark/events.js';
import { larkRig, type LarkRig } from '../fakes/lark/harness.js';
import type { ChatMember } from '../fakes/lark/server.js';

const GROUP = 'oc_class3';
const PARENT = 'ou_parent_wang';
const TEACHER = 'ou_teacher_li';

let rig: LarkRig;

async function startRig(handler?: (m: InboundMessage) => Promise<void>): Promise<LarkRig> {
  rig = await larkRig({ handler });
  rig.fake.users.set(PARENT, '王小明妈妈');
  rig.fake.users.set(TEACHER, '李老师');
  rig.fake.chats.set(GROUP, '三年级二班家长群');
  return rig;
}

afterEach(async () => {
  await rig?.stop();
});

describe('Lark inbound translation (real SDK over the fake long connection)', () => {
  it('translates a group text that @s the bot and a teacher: mentions by id, not in the text, names looked up', async () => {
    await startRig();
    const ack = await rig.fake.pushEvent(
      messageEvent({
        messageId: 'om_1',
        chatId: GROUP,
        sender: PARENT,
        content: { text: '@_user_1 今天的作业打卡 @_user_2 请看一下' },
        mentions: [
          { key: '@_user_1', openId: rig.fake.botOpenId, name: 'classbot' },
          { key: '@_user_2', openId: TEACHER, name: '李老师' },
        ],
        createTime: 1_760_000_123_456,
      }),
    );
    expect(ack.code).toBe(200);
    expect(ack.headers.biz_rt).toBeDefined();
    const msg = await rig.inbox.next();
    expect(msg).toEqual({
      platform: 'lark',
      eventId: 'om_1',
      chatType: 'group',
      groupId: GROUP,
      groupName: '三年级二班家长群',
      sender: { id: PARENT, name: '王小明妈妈' },
      text: '今天的作业打卡 请看一下',
      elements: [
        { type: 'text', text: ' 今天的作业打卡 ' },
        { type: 'mention', id: TEACHER, name: '李老师' },
        { type: 'text', text: ' 请看一下' },
      ],
      mentions: [{ id: TEACHER, name: '李老师' }],
      addressed: true,
      timestamp: 1_760_000_123_456,
    });
  });

  it('a group message that does not @ the bot is not addressed (seen only with "read all group messages")', async () => {
    await startRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_2', chatId: GROUP, sender: PARENT, content: { text: '谢谢老师' } }));
    const msg = await rig.inbox.next();
    expect(msg.addressed).toBe(false);
    expect(msg.text).toBe('谢谢老师');
    expect(msg.mentions).toEqual([]);
  });

  it('a post (rich text) with an @ of the bot, text on two lines and a photo', async () => {
    await startRig();
    await rig.fake.pushEvent(
      messageEvent({
        messageId: 'om_3',
        chatId: GROUP,
        sender: PARENT,
        messageType: 'post',
        content: {
          title: '',
          content: [
            [
              { tag: 'at', user_id: '@_user_1', user_name: 'classbot' },
              { tag: 'text', text: ' 打卡 第3天' },
            ],
            [{ tag: 'img', image_key: 'img_v3_abc', width: 800, height: 600 }],
          ],
        },
        mentions: [{ key: '@_user_1', openId: rig.fake.botOpenId, name: 'classbot' }],
      }),
    );
    const msg = await rig.inbox.next();
    expect(msg.addressed).toBe(true);
    expect(msg.text).toBe('打卡 第3天');
    expect(msg.elements).toEqual([
      { type: 'text', text: ' 打卡 第3天' },
      { type: 'text', text: '\n' },
      { type: 'image', ref: 'img_v3_abc' },
    ]);
  });

  it('an image message becomes an image element with empty text', async () => {
    await startRig();
    await rig.fake.pushEvent(
      messageEvent({ messageId: 'om_4', chatId: GROUP, sender: PARENT, messageType: 'image', content: { image_key: 'img_v3_hw' } }),
    );
    const msg = await rig.inbox.next();
    expect(msg.elements).toEqual([{ type: 'image', ref: 'img_v3_hw' }]);
    expect(msg.text).toBe('');
    expect(msg.addressed).toBe(false);
  });

  it('a p2p message is a direct chat, addressed, without a group', async () => {
    await startRig();
    await rig.fake.pushEvent(
      messageEvent({ messageId: 'om_5', chatId: 'oc_p2p_1', chatType: 'p2p', sender: TEACHER, content: { text: '本周报告' } }),
    );
    const msg = await rig.inbox.next();
    expect(msg).toMatchObject({ chatType: 'direct', groupId: null, addressed: true, text: '本周报告', sender: { id: TEACHER, name: '李老师' } });
    expect(msg.groupName).toBeUndefined();
  });

  it('@all in a parent message is a mention element, not a user mention', async () => {
    await startRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_6', chatId: GROUP, sender: TEACHER, content: { text: '@_all 明天停课' } }));
    const msg = await rig.inbox.next();
    expect(msg.elements[0]).toEqual({ type: 'mention', id: 'all', name: '所有人' });
    expect(msg.text).toBe('明天停课');
    expect(msg.mentions).toEqual([]);
  });

  it('acknowledges at once while the inbound handler is still busy, and keeps arrival order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    await startRig(async (m) => {
      seen.push(`start ${m.eventId}`);
      await gate;
      seen.push(`end ${m.eventId}`);
      rig.inbox.handler(m);
    });
    const first = await rig.fake.pushEvent(messageEvent({ messageId: 'om_a', chatId: GROUP, sender: PARENT, content: { text: '一' } }));
    const second = await rig.fake.pushEvent(messageEvent({ messageId: 'om_b', chatId: GROUP, sender: PARENT, content: { text: '二' } }));
    // Both acks arrived although the handler has not finished the first event.
    expect([first.code, second.code]).toEqual([200, 200]);
    expect(seen).not.toContain('end om_a');
    release();
    await rig.inbox.next();
    await rig.inbox.next();
    expect(seen).toEqual(['start om_a', 'end om_a', 'start om_b', 'end om_b']);
  });

  it('a redelivered event keeps its eventId (the message_id) so the engine can drop it', async () => {
    await startRig();
    const ev = messageEvent({ messageId: 'om_dup', chatId: GROUP, sender: PARENT, content: { text: '打卡' }, eventId: 'ev_same' });
    await rig.fake.pushEvent(ev);
    await rig.fake.pushEvent(ev);
    const a = await rig.inbox.next();
    const b = await rig.inbox.next();
    expect(a.eventId).toBe('om_dup');
    expect(b.eventId).toBe('om_dup');
    expect(rig.fake.acks.map((x) => x.code)).toEqual([200, 200]);
  });

  it('reassembles an event Lark split into several frames', async () => {
    await startRig();
    const ack = await rig.fake.pushEvent(
      messageEvent({ messageId: 'om_big', chatId: GROUP, sender: PARENT, content: { text: '长'.repeat(3000) } }),
      { chunks: 3 },
    );
    expect(ack.code).toBe(200);
    const msg = await rig.inbox.next();
    expect(msg.text).toHaveLength(3000);
  });

  it('skips a malformed event without losing the next one', async () => {
    await startRig();
    const bad = messageEvent({ messageId: 'om_bad', chatId: GROUP, sender: PARENT, content: {} }) as {
      event: { message: { content: string } };
    };
    bad.event.message.content = 'not json';
    const ack = await rig.fake.pushEvent(bad);
    expect(ack.code).toBe(200);
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_good', chatId: GROUP, sender: PARENT, content: { text: '好' } }));
    const msg = await rig.inbox.next();
    expect(msg.eventId).toBe('om_good');
    expect(rig.inbox.all).toHaveLength(1);
  });

  it('keeps going when a handler throws', async () => {
    let calls = 0;
    await startRig(async (m) => {
      calls++;
      if (calls === 1) throw new Error('engine hiccup');
      rig.inbox.handler(m);
    });
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_x1', chatId: GROUP, sender: PARENT, content: { text: '1' } }));
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_x2', chatId: GROUP, sender: PARENT, content: { text: '2' } }));
    expect((await rig.inbox.next()).eventId).toBe('om_x2');
  });

  it('delivers with an empty name when Lark will not disclose the sender (no contact permission)', async () => {
    await startRig();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_anon', chatId: GROUP, sender: 'ou_stranger', content: { text: '你好' } }));
    const msg = await rig.inbox.next();
    expect(msg.sender).toEqual({ id: 'ou_stranger', name: '' });
    // Looked up once, then remembered: a second message does not ask again.
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_anon2', chatId: GROUP, sender: 'ou_stranger', content: { text: '在吗' } }));
    await rig.inbox.next();
    expect(rig.fake.requests.filter((r) => r.path === '/open-apis/contact/v3/users/ou_stranger')).toHaveLength(1);
  });

  it("a parent from another tenant (the contact API answers 41050) is named from the chat's member list, read across pages and kept per chat", async () => {
    await startRig();
    const members: ChatMember[] = Array.from({ length: 130 }, (_, i) => ({ openId: `ou_member_${i}`, name: `家长${i}` }));
    members[120] = { openId: 'ou_ext_zhang', name: '张伟爸爸', tenantKey: 'tenant_other' };
    members[125] = { openId: 'ou_ext_liu', name: '刘芳妈妈', tenantKey: 'tenant_other' };
    rig.fake.chatMembers.set(GROUP, members);
    const listRequests = () => rig.fake.requests.filter((r) => r.path === `/open-apis/im/v1/chats/${GROUP}/members`);

    await rig.fake.pushEvent(messageEvent({ messageId: 'om_ext1', chatId: GROUP, sender: 'ou_ext_zhang', content: { text: '老师好' } }));
    expect((await rig.inbox.next()).sender).toEqual({ id: 'ou_ext_zhang', name: '张伟爸爸' });
    expect(listRequests().map((r) => r.query)).toEqual([
      { member_id_type: 'open_id', page_size: '100' },
      { member_id_type: 'open_id', page_size: '100', page_token: '100' },
    ]);

    // Another outsider in the same chat: the list read once serves them too.
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_ext2', chatId: GROUP, sender: 'ou_ext_liu', content: { text: '收到' } }));
    expect((await rig.inbox.next()).sender.name).toBe('刘芳妈妈');
    expect(listRequests()).toHaveLength(2);

    // Someone who joined since: the join drops the kept list, so their first message names them.
    rig.fake.chatMembers.set(GROUP, [...members, { openId: 'ou_ext_new', name: '陈静妈妈', tenantKey: 'tenant_other' }]);
    await rig.fake.pushEvent(membersEvent({ change: 'added', chatId: GROUP, users: [{ openId: 'ou_ext_new', name: '陈静妈妈', tenantKey: 'tenant_other' }] }));
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_ext3', chatId: GROUP, sender: 'ou_ext_new', content: { text: '大家好' } }));
    expect((await rig.inbox.next()).sender.name).toBe('陈静妈妈');
    expect(listRequests()).toHaveLength(4);
  });

  it('a member list Lark refuses (no chat permission) leaves the name empty; the message still arrives', async () => {
    await startRig();
    rig.fake.chatMembers.set(GROUP, [{ openId: 'ou_ext_zhang', name: '张伟爸爸', tenantKey: 'tenant_other' }]);
    rig.fake.answerNext(/\/members$/, { status: 400, body: { code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:chat:readonly]' } });
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_ext1', chatId: GROUP, sender: 'ou_ext_zhang', content: { text: '老师好' } }));
    expect((await rig.inbox.next()).sender.name).toBe('');
  });

  it('a card button press arrives over the same connection as the staff member typing its command', async () => {
    await startRig();
    const ack = await rig.fake.pushEvent(
      cardActionEvent({ operator: TEACHER, value: { command: '/认领 17', chat: 'group' }, messageId: 'om_card', chatId: 'oc_staff', eventId: 'ev_press_1' }),
    );
    expect(ack.code).toBe(200);
    // Answered within Lark's 3 s with a toast, so the presser sees the press was taken.
    expect(ack.data).toEqual({ toast: { type: 'info', content: '已提交：认领 17' } });
    const msg = await rig.inbox.next();
    expect(msg).toMatchObject({
      platform: 'lark',
      eventId: 'card:ev_press_1',
      chatType: 'group',
      groupId: 'oc_staff',
      sender: { id: TEACHER, name: '李老师' },
      text: '/认领 17',
      elements: [{ type: 'text', text: '/认领 17' }],
      mentions: [],
      addressed: true,
    });
  });

  it('ignores card callbacks that are not from its own buttons', async () => {
    await startRig();
    const ack = await rig.fake.pushEvent(cardActionEvent({ operator: TEACHER, value: { foo: 1 }, messageId: 'om_card', chatId: 'oc_staff' }));
    expect(ack.data).toBeUndefined();
    await rig.fake.pushEvent(messageEvent({ messageId: 'om_after', chatId: GROUP, sender: PARENT, content: { text: '好' } }));
    expect((await rig.inbox.next()).eventId).toBe('om_after');
    expect(rig.inbox.all).toHaveLength(1);
  });
});

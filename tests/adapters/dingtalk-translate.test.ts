import { describe, expect, it } from 'vitest';
import { parseRobotMessage, robotMessageToInbound } from '../../adapters/dingtalk/inbound.js';

/** A robot callback as DingTalk sends it; fields overridden per test. */
function callback(over: Record<string, unknown>): string {
  return JSON.stringify({
    conversationId: 'cidG',
    conversationType: '2',
    conversationTitle: '三年二班家长群',
    atUsers: [{ dingtalkId: '$:LWCP_v1:$robot' }],
    chatbotUserId: '$:LWCP_v1:$robot',
    msgId: 'm1',
    senderNick: '王妈妈',
    senderId: '$:LWCP_v1:$p1',
    isInAtList: true,
    createAt: 1_700_000_000_000,
    msgtype: 'text',
    text: { content: ' 打卡' },
    ...over,
  });
}

describe('DingTalk robot message translation', () => {
  it('removes a literal @robot name when DingTalk leaves it in the text', () => {
    const m = robotMessageToInbound(parseRobotMessage(callback({ text: { content: '@班级助手 打卡' } })), { robotName: '班级助手' });
    expect(m.text).toBe('打卡');
    expect(robotMessageToInbound(parseRobotMessage(callback({ text: { content: '打卡@班级助手' } })), { robotName: '班级助手' }).text)
      .toBe('打卡');
  });

  it('keeps text and pictures of a rich-text message', () => {
    const m = robotMessageToInbound(parseRobotMessage(callback({
      msgtype: 'richText',
      text: undefined,
      content: { richText: [{ text: '今天的作业' }, { type: 'picture', downloadCode: 'dl1' }, { text: '完成了' }] },
    })));
    expect(m.text).toBe('今天的作业完成了');
    expect(m.elements).toEqual([{ type: 'text', text: '今天的作业完成了' }, { type: 'image', ref: 'dl1' }]);
  });

  it('turns pictures and files into elements with no text', () => {
    const pic = robotMessageToInbound(parseRobotMessage(callback({ msgtype: 'picture', text: undefined, content: { downloadCode: 'p1' } })));
    expect(pic).toMatchObject({ text: '', elements: [{ type: 'image', ref: 'p1' }] });
    const file = robotMessageToInbound(parseRobotMessage(callback({
      msgtype: 'file', text: undefined, content: { downloadCode: 'f1', fileName: '作业.pdf' },
    })));
    expect(file.elements).toEqual([{ type: 'file', name: '作业.pdf', ref: 'f1' }]);
    const audio = robotMessageToInbound(parseRobotMessage(callback({ msgtype: 'audio', text: undefined })));
    expect(audio.elements).toEqual([{ type: 'other', kind: 'audio' }]);
  });

  it('omits the reply webhook when the callback has none', () => {
    expect(robotMessageToInbound(parseRobotMessage(callback({}))).replyContext).toEqual({ replyTarget: 'group:cidG' });
  });

  it('says which fields are wrong in a malformed callback', () => {
    expect(() => parseRobotMessage(callback({ msgId: undefined, conversationType: '3' })))
      .toThrow(/msgId.*conversationType|conversationType.*msgId/);
    expect(() => parseRobotMessage('{')).toThrow(/not JSON/);
  });
});

/**
 * A greeting to the bot (`@bot 你好`, `在吗`, `老师好` in a direct chat) gets a short hello listing
 * what the bot can do for a parent here, built from the playbook (its check-in keyword, an FAQ).
 */
import type { Feature, MessageContext } from '../engine/feature.js';
import { normalise } from '../detector/normalise.js';
import { text } from '../playbook/playbook.js';
import { gamesIn } from './checkin/game.js';

const GREETING =
  /^(?:(?:老师|助教|机器人|小助手|助手|亲)[,\s]*)?(?:你好|您好|hi|hello|hey|嗨|哈喽|哈啰|哈罗|在吗|在不在|在么|早上好|早安|上午好|中午好|下午好|晚上好|早|老师好|老师您好|大家好)(?:[,\s]*(?:老师|助教|呀|啊|哈|吖|哦|~|!|\?|\.|。)*)*$/;

/** Whether the whole message is a greeting. */
export function isGreeting(message: string): boolean {
  return GREETING.test(normalise(message).trim());
}

function helloText(ctx: MessageContext): string {
  const pb = ctx.playbook;
  const ask = ctx.where === 'class' ? text(pb, 'hello_ask_in_group') : '';
  const game = ctx.group ? gamesIn(pb, ctx.group.key)[0] : pb.groups.map((g) => gamesIn(pb, g.key)[0]).find(Boolean);
  const lines = [text(pb, 'hello', { name: ctx.sender.name })];
  if (game?.keywords[0]) lines.push(text(pb, 'hello_checkin', { example: game.keywords[0] }));
  if (pb.faq[0]) lines.push(text(pb, 'hello_faq', { ask, example: pb.faq[0].q }));
  lines.push(text(pb, 'hello_leave', { ask }), text(pb, 'hello_staff', { ask, assistant: pb.assistantName }), text(pb, 'hello_help'));
  return lines.join('\n');
}

export const helloFeature: Feature = {
  name: 'hello',
  onMessage(ctx) {
    if (!ctx.msg.addressed || ctx.where === 'staff' || !isGreeting(ctx.msg.text)) return false;
    ctx.reply(helloText(ctx), { cause: 'hello', mentions: ctx.where === 'class' ? [{ id: ctx.sender.id, name: ctx.sender.name }] : [] });
    return true;
  },
};

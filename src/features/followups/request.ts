/**
 * Whether a message addressed to the bot asks it to do something (帮我查一下孩子这周的作业,
 * 麻烦发我一下课件, 我想改一下上课时间): what the bot cannot serve itself goes to a human, like a question.
 */
import { normalise } from '../../detector/normalise.js';

const REQUEST = new RegExp(
  [
    '(?:帮|替)(?:我|忙|孩子|我们|一下)',
    '麻烦(?:您|你|老师)?(?:帮|查|看|发|给|问|把|处理|确认|转|安排|改|调)',
    '(?:^|[,\\s])请(?:您|你|老师)?(?:帮|查|看|发|给|转|告诉|把|确认|处理|安排|改|调)',
    '(?:查|看|发|找|问|确认|核对|改|调|安排)一下',
    '发(?:给)?我',
    '给我(?:发|看|查|找|一份|一个|个|开)',
    '告诉我',
    '我(?:想|要|需要)(?:查|看|问|知道|了解|改|换|调|申请|预约|咨询|领|拿|要|开)',
  ].join('|'),
);
/** Thanks are not requests: 麻烦老师了, 辛苦帮忙了, 谢谢帮我查. */
const THANKS = /谢谢|感谢|辛苦|麻烦(?:您|你|老师)?了/;

export function looksLikeRequest(message: string): boolean {
  const n = normalise(message);
  return REQUEST.test(n) && !THANKS.test(n);
}

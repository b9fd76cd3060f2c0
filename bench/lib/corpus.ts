/**
 * Synthetic class-group traffic in Chinese, generated from a seed so every run replays the same
 * messages. The mix follows what a class group carries on an ordinary school day: mostly chat
 * and acknowledgements, check-ins, questions (some answered by the example FAQ), a few worried
 * or unhappy parents, staff notices and bot commands; a small share is typed in Traditional
 * characters. Templates are combined with names, numbers and tails so that texts rarely repeat.
 */
import { Rng } from './rng.js';

export type MessageKind = 'chat' | 'checkin' | 'faq' | 'question' | 'worry' | 'staff' | 'command';

export interface SyntheticMessage {
  kind: MessageKind;
  text: string;
  /** The message carries a photo (check-in evidence). */
  image: boolean;
}

/** Share of each kind among messages from members (staff messages are chosen by sender). */
export const MIX: readonly [MessageKind, number][] = [
  ['chat', 0.53],
  ['checkin', 0.26],
  ['faq', 0.06],
  ['question', 0.07],
  ['worry', 0.06],
  ['command', 0.02],
];

/** Share of member messages typed in Traditional characters. */
const TRADITIONAL_SHARE = 0.02;

const CHILDREN = w(`小明 朵朵 乐乐 子涵 浩宇 一诺 欣怡 梓萱 俊熙 若汐 沐阳 可馨 天佑 思彤 宇轩 雨桐 诗涵 皓轩 安琪 博文
  嘉怡 子墨 奕辰 书瑶 明哲 依依 睿睿 果果 豆豆 糖糖 航航 晨晨 悦悦 彤彤 佳佳 鑫鑫 洋洋 琪琪 涵涵 铭铭`);
const RELATIONS = w('妈妈 妈妈 妈妈 爸爸 爸爸 奶奶 外婆 爷爷');
const SUBJECTS = w('语文 数学 英语 口算 阅读 古诗 听写 作文 练字 单词');
const EMOJI = ['', '', '', '', '👍', '🙏', '😊', '🌹', '[抱拳]', '[强]', '😄', '❤️', '～', '！', '。'];

const ACKS = w(`收到 收到了 好的 好的老师 谢谢老师 辛苦老师了 老师辛苦了 明白 了解 知道了 好嘞 嗯嗯 收到谢谢 已阅
  好的收到 谢谢提醒 感谢老师 ok 收到～ 辛苦啦`);

const CHAT = [
  '今天降温了，大家出门记得给孩子多穿点',
  '{child}今天回来说{subject}课特别有意思',
  '作业写完了，等下拍照传上来',
  '刚看到通知，明天我们准时参加',
  '{child}今天的{subject}作业订正好了',
  '哈哈，这题我都不会了，还得孩子教我',
  '群文件已经下载了，谢谢老师整理',
  '{child}说今天上课被表扬了，开心了一晚上',
  '昨天的直播课孩子听得很认真',
  '有没有家长一起拼团买练习册的',
  '给老师点赞，讲得真清楚',
  '我们家{child}周末去参加{subject}比赛了',
  '孩子今天自己主动背了两首古诗',
  '前面有家长说回放打不开，我这边正常，可以试试清一下缓存',
  '【转】{subject}学习小技巧：每天坚持十分钟',
  '【通知】本周五下午家长会，请各位家长安排好时间',
  '今晚的作业有点多，不过孩子写得挺认真',
  '{child}奶奶帮忙打卡，孩子今天在外婆家',
  '收到，已经让孩子订正了',
  '这次题目偏难，班里平均分都不高，孩子考得还行，心态也挺好',
  '之前的问题已经解决了，谢谢老师',
  '不担心了，孩子最近进步很大',
  '早上好各位家长',
  '大家周末愉快',
  '孩子今天有点感冒，请假一天，作业明天补上',
  '今天学校开运动会，晚上的课可能要晚一点上',
  '谢谢李老师耐心讲解',
  '老师发的{subject}资料很实用，已经打印出来了',
  '第{n}课的练习做完了',
  '{child}今天读了{n}页课外书',
];

const CHECKIN = [
  '打卡 {n}分钟',
  '打卡 {n}分钟✅',
  '今日打卡 {n}分钟',
  '#晨读 {n}分钟',
  '晨读打卡 {n}分钟',
  '第{n}天打卡，今天读了{n}分钟',
  '{child}打卡 {n}分钟',
  '{child}今日打卡，{subject}已完成，读了{n}分钟',
  '今天的{subject}作业完成了，打卡 {n}分钟',
  '打卡第{n}天，坚持就是胜利 {n}分钟',
  '{child}晨读打卡 {n}分钟，今天读的是古诗',
  '打卡',
  '{child}打卡',
  '今天的{subject}作业完成了，打卡',
];

const FAQ = [
  '请问课表在哪里看？',
  '老师，课程表在哪里呀',
  '课表发一下吗？我找不到了',
  '回放在哪里看？',
  '昨天没赶上直播课，怎么看回放呢',
  '请问录播在哪里',
  '作业怎么提交呀？',
  '老师，作业在哪交？',
  '请问提交作业是在App里吗',
  '退费流程是什么样的？帮朋友问一下',
];

const QUESTIONS = [
  '明天几点上课？',
  '这周六还上课吗？',
  '老师，第{n}题怎么做？',
  '今天的{subject}作业是什么？',
  '请问下次直播是几号？',
  '练习册第{n}页要做吗',
  '老师，孩子的{subject}作业需要家长签字吗？',
  '期中考试考哪几个单元呢？',
  '有没有{subject}的课外阅读推荐？',
  '请假的话需要跟谁说？',
  '直播课可以用平板上吗',
  '作业本用完了可以用普通本子吗？',
];

const WORRY = [
  // academic
  '孩子{subject}成绩下滑得厉害，我好焦虑',
  '{child}最近{subject}跟不上了，怎么办啊',
  '作业每天写到十一点，孩子太累了',
  '这次{subject}考砸了，孩子回家一直哭',
  '古诗背了就忘，早读天天打卡，第二天一问又不会了',
  '外面机构测下来说落后了一个学期，听得我心一沉',
  '孩子看图写话老是写不出来，一句话憋半天',
  // wellbeing
  '孩子这几天都不想上学，早上叫不起来',
  '{child}最近天天哭，问他也不说为什么',
  '平板不给就不吃饭，已经两天这样了',
  '这阵子动不动就发脾气，作业本都扔地上',
  '孩子晚上睡不着，说压力太大',
  '最近沉迷手机，一说就跟我吵',
  // complaint
  '说好的纸质教材呢？开课两周了还没收到',
  '作业批改就一个“很棒”，错的地方也不指出来，太敷衍了',
  '问了三次都没人回复，这服务也太差了',
  '直播又卡了，这已经是第三次了',
  '助教回复特别慢，我要投诉',
  // refund
  '直播卡成这样，我们要求退课',
  '续费链接不用再发我了，已经决定换机构了',
  '能不能把数学课退了，只留语文',
  '下学期不续了，剩下的课时怎么退费',
  // safety
  '孩子回家说课间被几个男生推倒了，腿上全是青的',
  '{child}说有人在厕所门口拦着要零花钱',
  '孩子今天说活着没意思，我该怎么办',
];

const COMMANDS = ['我的打卡', '/我的打卡', '/帮助', '排行榜', '/不参与排行'];

const STAFF = [
  '各位家长好，今晚7点{subject}直播课，请提前进入直播间',
  '今天的{subject}作业：练习册第{n}页，明早8点前提交',
  '提醒：本周的打卡活动还剩{n}天，大家继续加油',
  '表扬今天按时完成作业的同学，大家都很棒',
  '{child}妈妈您好，已经收到，我私信您',
  '周末作业已发在群文件，请查收',
  '明天上午的课调整到下午3点，请各位家长留意',
];

const TAILS = ['', '', '', '', '，谢谢', '，麻烦老师了', '～', '！', '呀', '哦', '，辛苦了'];

/** Simplified → Traditional for the characters the templates use most. */
const TRADITIONAL: Record<string, string> = Object.fromEntries(
  [...'师这谢们说么时间课题问业写还没吗长发后个会对让学习应该听觉现经过开关东点钟难担虑费复给进绩欢试样读为语数练诗'].map((ch, i) => [
    ch,
    [...'師這謝們說麼時間課題問業寫還沒嗎長發後個會對讓學習應該聽覺現經過開關東點鐘難擔慮費複給進績歡試樣讀為語數練詩'][i]!,
  ]),
);

function w(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

export class Corpus {
  private readonly rng: Rng;
  private readonly cumulative: number[];

  constructor(seed: number) {
    this.rng = new Rng(seed);
    let sum = 0;
    this.cumulative = MIX.map(([, share]) => (sum += share));
  }

  /** A message from a parent (or a child on a parent's account). */
  member(): SyntheticMessage {
    const r = this.rng.next() * this.cumulative[this.cumulative.length - 1]!;
    const kind = MIX[this.cumulative.findIndex((c) => r < c)]![0];
    let text: string;
    switch (kind) {
      case 'chat':
        if (this.rng.chance(0.35)) text = this.rng.pick(ACKS) + this.rng.pick(EMOJI);
        else {
          text = this.fill(this.rng.pick(CHAT));
          if (this.rng.chance(0.3)) text += `，${this.fill(this.rng.pick(CHAT))}`;
          text += this.rng.pick(EMOJI);
        }
        break;
      case 'checkin':
        text = this.fill(this.rng.pick(CHECKIN)) + this.rng.pick(EMOJI);
        break;
      case 'faq':
        text = this.fill(this.rng.pick(FAQ));
        break;
      case 'question':
        text = this.fill(this.rng.pick(QUESTIONS)) + this.rng.pick(TAILS);
        break;
      case 'worry':
        text = this.fill(this.rng.pick(WORRY)) + this.rng.pick(TAILS);
        break;
      default:
        text = this.rng.pick(COMMANDS);
    }
    if (kind !== 'command' && this.rng.chance(TRADITIONAL_SHARE)) text = toTraditional(text);
    return { kind, text, image: kind === 'checkin' && this.rng.chance(0.4) };
  }

  /** A notice or answer from the class's staff. */
  staff(): SyntheticMessage {
    return { kind: 'staff', text: this.fill(this.rng.pick(STAFF)), image: false };
  }

  /** A display name like 朵朵妈妈, fixed per member index. */
  static memberName(index: number): string {
    return `${CHILDREN[index % CHILDREN.length]}${RELATIONS[Math.floor(index / CHILDREN.length) % RELATIONS.length]}`;
  }

  private fill(template: string): string {
    return template
      .replace('{child}', () => this.rng.pick(CHILDREN))
      .replace('{subject}', () => this.rng.pick(SUBJECTS))
      .replaceAll('{n}', () => String(1 + this.rng.int(60)));
  }
}

function toTraditional(text: string): string {
  let out = '';
  for (const ch of text) out += TRADITIONAL[ch] ?? ch;
  return out;
}

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ShiftedClock } from '../../src/clock.js';
import type { InboundMessage, MemberRef, MessageElement } from '../../src/model.js';
import type { Playbook } from '../../src/playbook/playbook.js';
import { DAY, HOUR, addDays, formatDateZh, formatHHMM, localParts, parseHHMM, zonedToUtc } from '../../src/time.js';
import { BOT_NAME, type ConsoleAdapter } from './adapter.js';
import type { ConsoleScreen } from './screen.js';

export interface ConsoleChat {
  id: string;
  name: string;
  kind: 'class' | 'staff';
  playbook: Playbook;
}

export interface ConsoleSession {
  input: Readable;
  /** Plain information lines. */
  print(line: string): void;
  /** Chat lines, stamped with the bot's clock. */
  chatLine(line: string): void;
  interactive: boolean;
  /** In a terminal: the prompt, echo, history and completion live here. */
  screen: ConsoleScreen;
  adapter: ConsoleAdapter;
  chats: ConsoleChat[];
  /** The bot's own command names (帮助, 未打卡…), for completion. */
  botCommands: string[];
  clock: ShiftedClock;
  /** Runs what became due after the clock moved. */
  tick(): Promise<void>;
}

const BOT_ALIASES = new Set([BOT_NAME, '机器人', 'bot', '助手', '班级助手']);

export const CONSOLE_HELP = [
  '控制台指令：',
  '  /as 名字          以这个身份发言（例如 /as 王妈妈；用配置里的老师名字即为老师身份）',
  '  /in 群名或序号     切换到另一个群（/groups 列出所有群）',
  '  /dm 文字          私聊机器人',
  '  /img [说明]        发一张图片（打卡凭证）',
  '  /time HH:MM       把时钟拨到下一个 HH:MM；/time +40m、+2h、+1d 向前拨',
  '  /again            重发上一条消息（模拟平台重复推送）',
  '  /quit             退出',
  '  @classbot 文字     @机器人提问；其余 /开头的是机器人的指令，发 /帮助 查看',
].join('\n');

/** Console commands, with a space after those that take an argument (what completion inserts). */
const CONSOLE_COMMANDS = ['/as ', '/in ', '/dm ', '/img ', '/time ', '/again', '/groups', '/help', '/quit'];

/** Tab completion: `/` commands, then group names after /in and staff names after /as. */
export function completeConsoleLine(line: string, commands: string[], chats: ConsoleChat[], chat: ConsoleChat): [string[], string] {
  if (!line.startsWith('/')) return [[], line];
  const space = line.indexOf(' ');
  if (space === -1) return [commands.filter((c) => c.startsWith(line)), line];
  const cmd = line.slice(0, space);
  const names = cmd === '/in' ? chats.map((c) => c.name) : cmd === '/as' ? chat.playbook.staff.map((s) => s.name) : [];
  const arg = line.slice(space + 1);
  return [names.filter((n) => n.startsWith(arg)).map((n) => `${cmd} ${n}`), line];
}

/** Splits `@name` tokens off the text: the bot's own name addresses it, others are mentions. */
export function parseConsoleText(raw: string): { text: string; addressed: boolean; mentions: MemberRef[] } {
  let addressed = false;
  const mentions: MemberRef[] = [];
  const text = raw.replace(/[@＠]([^\s@＠]+)\s?/g, (_whole, name: string) => {
    if (BOT_ALIASES.has(name.toLowerCase())) {
      addressed = true;
      return '';
    }
    mentions.push({ id: name, name });
    return '';
  });
  return { text: text.trim(), addressed, mentions };
}

/** Parses `/time` arguments into a new instant strictly after `now`, or an error text. */
export function parseTimeCommand(arg: string, now: number, tz: string): number | string {
  const rel = /^\+(\d+)\s*(m|min|h|d)$/i.exec(arg);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2]!.toLowerCase();
    return now + n * (unit === 'd' ? DAY : unit === 'h' ? HOUR : 60_000);
  }
  const abs = /^(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2}:\d{2})$/.exec(arg);
  const minute = abs ? parseHHMM(abs[2]!) : null;
  if (!abs || minute === null) return '用法：/time 19:00、/time 2026-11-24 07:30、/time +40m、/time +2h、/time +1d';
  const today = localParts(now, tz).date;
  let at = zonedToUtc(abs[1] ?? today, minute, tz);
  if (!abs[1] && at <= now) at = zonedToUtc(addDays(today, 1), minute, tz);
  return at > now ? at : '时钟只能往前拨';
}

export function describeTime(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${formatDateZh(p.date)} ${formatHHMM(p.minuteOfDay)}`;
}

/** Reads lines until end of input or /quit, posting messages and running console commands. */
export async function runConsole(s: ConsoleSession): Promise<void> {
  let chat = s.chats.find((c) => c.kind === 'class') ?? s.chats[0]!;
  let me = '家长';
  let last: InboundMessage | null = null;
  const tz = () => chat.playbook.timezone;
  const label = (c: ConsoleChat) => `[${c.name}]`;

  s.print(`classbot 控制台 · ${describeTime(s.clock.now(), tz())} · 当前群 ${chat.name} · 身份 ${me}（/help 查看控制台指令）`);
  const commands = [...CONSOLE_COMMANDS, ...s.botCommands.map((n) => `/${n}`)];
  const rl = createInterface({
    input: s.input,
    ...(s.interactive
      ? { output: s.screen.output, terminal: true, historySize: 200, removeHistoryDuplicates: true, completer: (line: string) => completeConsoleLine(line, commands, s.chats, chat) }
      : { terminal: false }),
    crlfDelay: Infinity,
  });
  // Ctrl+C leaves like /quit (readline would only pause the input otherwise).
  rl.on('SIGINT', () => rl.close());
  const prompt = () => {
    if (s.interactive) s.screen.prompt(rl, `${me}@${chat.name}> `);
  };
  prompt();

  const post = async (text: string, opts: { direct?: boolean; elements?: MessageElement[] } = {}) => {
    const parsed = parseConsoleText(text);
    s.chatLine(opts.direct ? `[私聊 → ${BOT_NAME}] ${me}: ${text}` : `${label(chat)} ${me}: ${text}`);
    last = await s.adapter.post({
      chatType: opts.direct ? 'direct' : 'group',
      groupId: opts.direct ? null : chat.id,
      groupName: opts.direct ? undefined : chat.name,
      sender: { id: me, name: me },
      text: parsed.text,
      elements: [...(parsed.text ? [{ type: 'text' as const, text: parsed.text }] : []), ...parsed.mentions.map((m) => ({ type: 'mention' as const, ...m })), ...(opts.elements ?? [])],
      mentions: parsed.mentions,
      addressed: opts.direct === true || parsed.addressed,
      timestamp: s.clock.now(),
    });
  };

  for await (const raw of rl) {
    s.screen.busy();
    const line = raw.trim();
    if (!line) {
      prompt();
      continue;
    }
    const [cmd = '', ...rest] = line.split(/\s+/);
    const arg = rest.join(' ');
    if (cmd === '/quit' || cmd === '/exit') break;
    switch (cmd) {
      case '/help':
        s.print(CONSOLE_HELP);
        break;
      case '/as':
        if (!arg) s.print('用法：/as 名字');
        else {
          me = arg;
          s.print(`（你现在是 ${me}）`);
        }
        break;
      case '/groups':
        s.chats.forEach((c, i) => s.print(`${i + 1}. ${c.name}${c.kind === 'staff' ? '（老师群）' : ''}${c === chat ? ' ←' : ''}`));
        break;
      case '/in': {
        const found = s.chats[Number(arg) - 1] ?? s.chats.find((c) => c.name === arg) ?? s.chats.find((c) => arg && c.name.includes(arg));
        if (!found) s.print(`没有找到群“${arg}”，/groups 列出所有群`);
        else {
          chat = found;
          s.print(`（切换到 ${chat.name}）`);
        }
        break;
      }
      case '/dm':
        await post(arg, { direct: true });
        break;
      case '/img':
        await post(arg, { elements: [{ type: 'image', ref: 'console-image' }] });
        break;
      case '/again':
        if (last) {
          s.print(`（重复推送上一条消息）`);
          await s.adapter.post(last);
        }
        break;
      case '/time': {
        if (!arg) {
          s.print(`⏰ 现在是 ${describeTime(s.clock.now(), tz())}`);
          break;
        }
        const target = parseTimeCommand(arg, s.clock.now(), tz());
        if (typeof target === 'string') {
          s.print(target);
          break;
        }
        // Step through the gap so every fire, escalation and retry in it happens at its own time.
        while (s.clock.now() < target) {
          s.clock.advance(Math.min(60_000, target - s.clock.now()));
          await s.tick();
        }
        s.print(`⏰ 现在是 ${describeTime(s.clock.now(), tz())}`);
        break;
      }
      default:
        await post(line);
    }
    prompt();
  }
  rl.close();
}

import { resolve } from 'node:path';
import { openStore } from '../store/db.js';
import { Outbox, type OutboxRow } from '../engine/outbox.js';
import type { PlatformBlock } from '../engine/platform-blocks.js';
import { silentLogger } from '../log.js';
import { systemClock } from '../clock.js';
import { loadPlaybookDir } from '../playbook/load.js';
import { localDateTime } from '../reports/format.js';
import type { Command } from './command.js';
import { dbPathFrom, flag, option, playbookDirFrom } from './options.js';

const PLATFORM_ZH: Record<string, string> = { dingtalk: '钉钉', lark: '飞书', wechaty: '微信', console: '控制台' };
const REASON_ZH: Record<string, string> = { 'dingtalk-quota': '本月接口调用次数已用完' };

/** A platform refusing every send comes first: it explains why its messages stay pending. */
function blockLine(b: PlatformBlock, held: number, zone: string): string {
  const name = PLATFORM_ZH[b.platform] ?? b.platform;
  return `⚠️ ${name}暂停发送（自 ${localDateTime(b.since, zone)}）：${REASON_ZH[b.reason] ?? b.reason}；${held} 条消息排队中，不消耗重试次数；下次试发 ${localDateTime(b.probeAt, zone)}${b.detail ? `\n    平台返回：${b.detail}` : ''}`;
}

const STATUS_ZH: Record<OutboxRow['status'], string> = { pending: '待发送', sending: '发送中', sent: '已发送', failed: '失败' };

/** Times read in the zone of the row's playbook (as staff live them), else the machine's. */
function line(r: OutboxRow, zoneOf: (playbookId: string | null) => string): string {
  const text = (JSON.parse(r.payload) as { text: string }).text.replace(/\s+/g, ' ');
  const when = localDateTime(r.sentAt ?? r.notBefore, zoneOf(r.playbookId));
  return `#${r.id} ${STATUS_ZH[r.status]} ${r.platform}:${r.targetKind === 'group' ? '群' : '私聊'}:${r.targetId} ${when} 尝试${r.attempts}次 [${r.cause}] ${text.slice(0, 60)}${text.length > 60 ? '…' : ''}${r.lastError ? `\n    错误：${r.lastError}` : ''}`;
}

export const outboxCommand: Command = {
  name: 'outbox',
  summary: '查看待发送和发送失败的消息，重新发送失败的消息',
  usage: `classbot outbox list [--failed | --pending] [--limit N] [--db 文件] [--playbooks 目录]（时间按所属班级配置的时区）
classbot outbox retry <编号>   把一条失败的消息重新放回发送队列（机器人运行时会自动发送）`,
  async run(args, io) {
    const [sub = 'list', ...rest] = args;
    const store = openStore(dbPathFrom(rest, io.env, io.cwd));
    try {
      const outbox = new Outbox(store, systemClock, silentLogger);
      if (sub === 'list') {
        const status = flag(rest, 'failed') ? 'failed' : flag(rest, 'pending') ? 'pending' : undefined;
        const rows = outbox.list(status, Number(option(rest, 'limit') ?? 50));
        const machine = Intl.DateTimeFormat().resolvedOptions().timeZone;
        for (const b of outbox.blocks.all()) io.stdout.write(`${blockLine(b, outbox.pendingOn(b.platform), machine)}\n`);
        if (rows.length === 0) io.stdout.write(status === 'failed' ? '没有发送失败的消息。\n' : '没有消息。\n');
        const zones = new Map(loadPlaybookDir(resolve(io.cwd, option(rest, 'playbooks') ?? playbookDirFrom(io.env)), io.cwd).playbooks.map((pb) => [pb.id, pb.timezone]));
        for (const r of rows) io.stdout.write(`${line(r, (id) => (id && zones.get(id)) || machine)}\n`);
        return 0;
      }
      if (sub === 'retry') {
        const id = Number(rest.find((a) => /^\d+$/.test(a)));
        if (!id) {
          io.stderr.write('用法：classbot outbox retry <编号>\n');
          return 2;
        }
        if (!outbox.retry(id)) {
          io.stderr.write(`#${id} 不是发送失败的消息。\n`);
          return 1;
        }
        io.stdout.write(`#${id} 已重新放入发送队列。\n`);
        return 0;
      }
      io.stderr.write(`不认识的子指令：${sub}\n${this.usage}\n`);
      return 2;
    } finally {
      store.close();
    }
  },
};

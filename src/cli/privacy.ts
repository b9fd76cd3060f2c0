import { userInfo } from 'node:os';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPlaybookDir } from '../playbook/load.js';
import { exportMember, findMembers, forgetMember, playbooksOf } from '../privacy/member-data.js';
import { openStore, type Store } from '../store/db.js';
import type { Command } from './command.js';
import { dbPathFrom, flag, option, playbookDirFrom } from './options.js';

/** The timezone of the member's class (from its playbook); null when no playbook of theirs is in `playbookDir`. */
function timezoneOf(store: Store, memberId: number, playbookDir: string, cwd: string): string | null {
  const ids = playbooksOf(store, memberId);
  const pb = ids.length ? loadPlaybookDir(playbookDir, cwd).playbooks.find((p) => ids.includes(p.id)) : undefined;
  return pb?.timezone ?? null;
}

export const privacyCommand: Command = {
  name: 'privacy',
  summary: '导出或删除某位成员的个人数据（留有记录）',
  usage: `classbot privacy export --member 名字或ID [--out 文件.json] [--by 操作人] [--playbooks 目录]
classbot privacy forget --member 名字或ID --yes [--by 操作人]
  --member 可以是群里的名字、平台用户 ID，或“平台:ID”（例如 lark:ou_xxx）。
  export 导出所有表里与该成员有关的数据（含老师的备注和发给/提到他的消息），时间按班级配置的时区。
  forget 删除名字、平台 ID、消息文字、跟进内容和备注、发件箱里提到他的内容，并从数据库文件中彻底抹去；
  保留匿名的计数供报表使用；必须加 --yes 确认。`,
  async run(args, io) {
    const [sub, ...rest] = args;
    const query = option(rest, 'member');
    if ((sub !== 'export' && sub !== 'forget') || !query) {
      io.stderr.write(`${this.usage}\n`);
      return 2;
    }
    const actor = option(rest, 'by') ?? userInfo().username;
    const store = openStore(dbPathFrom(rest, io.env, io.cwd));
    try {
      const found = findMembers(store, query);
      if (found.length !== 1) {
        io.stderr.write(found.length === 0 ? `没有找到成员“${query}”。\n` : `“${query}”对应多位成员，请用“平台:ID”指定：\n${found.map((m) => `  ${m.platform}:${m.userId}（${m.name}）`).join('\n')}\n`);
        return 1;
      }
      const member = found[0]!;
      if (sub === 'export') {
        const dir = option(rest, 'playbooks') ?? playbookDirFrom(io.env);
        let tz = timezoneOf(store, member.id, resolve(io.cwd, dir), io.cwd);
        if (!tz) {
          tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
          io.stderr.write(`在 ${dir} 里没有找到该成员所在班级的配置，时间按本机时区 ${tz} 导出（可用 --playbooks 指定配置目录）。\n`);
        }
        const json = `${JSON.stringify(exportMember(store, member.id, actor, Date.now(), tz), null, 2)}\n`;
        const out = option(rest, 'out');
        if (out) {
          writeFileSync(resolve(io.cwd, out), json);
          io.stdout.write(`已导出 ${member.name} 的数据到 ${out}\n`);
        } else io.stdout.write(json);
        return 0;
      }
      if (!flag(rest, 'yes')) {
        io.stderr.write(`将删除 ${member.name}（${member.platform}:${member.userId}）的个人数据，且无法恢复。确认请加 --yes。\n`);
        return 2;
      }
      const s = forgetMember(store, member.id, actor, Date.now());
      io.stdout.write(`已删除 ${member.name} 的个人数据：消息文字 ${s.messages} 条，跟进记录 ${s.followups} 条，请假原因 ${s.leaves} 条，发件箱消息 ${s.outbox} 条。\n`);
      if (!s.erasedFromDisk) io.stderr.write('注意：数据库正忙，删除前的旧内容可能暂时留在 WAL 文件（.db-wal）里，直到 bot 下次停止时清空。\n');
      return 0;
    } finally {
      store.close();
    }
  },
};

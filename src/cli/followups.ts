/**
 * `classbot followups`: the staff follow-up commands from a terminal, on the bot's database.
 * Acting needs `--as <staff name>` of the follow-up's playbook; what it sends (the rating
 * request to the parent) is queued in the outbox and sent by the running bot.
 */
import { resolve as resolvePath } from 'node:path';
import { systemClock } from '../clock.js';
import { Engine } from '../engine/engine.js';
import type { Services } from '../engine/feature.js';
import { claim, dismiss, note, reassign, resolve, resolvedText, type Outcome } from '../features/followups/actions.js';
import { followupVars, listItem, showText } from '../features/followups/format.js';
import { followupRepo, type Followup, type Status } from '../features/followups/repo.js';
import { silentLogger } from '../log.js';
import { formatError, loadPlaybookDir } from '../playbook/load.js';
import { text, type Playbook } from '../playbook/playbook.js';
import type { StaffConfig } from '../playbook/schema.js';
import { openStore } from '../store/db.js';
import type { CliIO, Command } from './command.js';
import { dbPathFrom, flag, option, playbookDirFrom } from './options.js';

const USAGE = `classbot followups list [--all] [--playbook id]     待处理的跟进（--all 含已解决和误报）
classbot followups show <编号>                       详情和全部记录
classbot followups claim <编号> --as 老师            认领
classbot followups note <编号> <内容> --as 老师      加备注
classbot followups resolve <编号> [说明] --as 老师   标记已解决（并请家长评价）
classbot followups dismiss <编号> [原因] --as 老师   标记为误报
classbot followups reassign <编号> <老师> --as 老师  转交
通用参数：--db 文件（默认 data/classbot.db）、--playbooks 目录（默认 playbooks/）
--as 必须是该跟进所属班级配置里 staff 的名字。`;

const VALUED = new Set(['db', 'playbooks', 'playbook', 'as']);

/** Arguments that are neither `--flags` nor their values. */
function positionals(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      if (VALUED.has(a.slice(2))) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

type Op = (services: Services, pb: Playbook, f: Followup, actor: StaffConfig, rest: string[], now: number) => Outcome | string;

const body = (rest: string[]) => rest.join(' ').trim() || null;

/** Each state change, and the playbook text that reports its success. */
const OPS: Record<string, { run: Op; ok: string | ((f: Followup) => string); usage: string }> = {
  claim: { run: (s, pb, f, a, _r, now) => claim(s, pb, f, a, now), ok: 'followup_claimed', usage: 'claim <编号> --as 老师' },
  note: {
    run: (s, pb, f, a, r, now) => (body(r) ? note(s, f, a, body(r)!, now) : '备注内容不能为空'),
    ok: 'followup_noted',
    usage: 'note <编号> <内容> --as 老师',
  },
  resolve: { run: (s, pb, f, a, r, now) => resolve(s, pb, f, a, body(r), now), ok: resolvedText, usage: 'resolve <编号> [说明] --as 老师' },
  dismiss: { run: (s, pb, f, a, r, now) => dismiss(s, f, a, body(r), now), ok: 'followup_dismissed', usage: 'dismiss <编号> [原因] --as 老师' },
  reassign: {
    run: (s, pb, f, a, r, now) => {
      const to = pb.staff.find((st) => st.name === body(r));
      return to ? reassign(s, pb, f, a, to, now) : text(pb, 'followup_unknown_staff', { name: body(r) ?? '' });
    },
    ok: 'followup_reassigned',
    usage: 'reassign <编号> <老师> --as 老师',
  },
};

export const followupsCommand: Command = {
  name: 'followups',
  summary: '查看和处理家长跟进（认领、备注、解决、误报）',
  usage: USAGE,
  async run(args, io: CliIO) {
    const [sub = 'list', ...rest] = args;
    const dir = resolvePath(io.cwd, option(rest, 'playbooks') ?? playbookDirFrom(io.env));
    const { playbooks, errors } = loadPlaybookDir(dir, io.cwd);
    for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
    const store = openStore(dbPathFrom(rest, io.env, io.cwd));
    try {
      const engine = new Engine({ store, clock: systemClock, log: silentLogger, features: [] });
      engine.setPlaybooks(playbooks);
      const { services } = engine;
      const repo = followupRepo(store);
      const now = systemClock.now();
      const byId = new Map(playbooks.map((pb) => [pb.id, pb]));
      const [idArg, ...words] = positionals(rest);

      if (sub === 'list') {
        const only = option(rest, 'playbook');
        const statuses: Status[] = flag(rest, 'all') ? ['open', 'claimed', 'resolved', 'dismissed'] : ['open', 'claimed'];
        const rows = repo.list([...byId.keys()].filter((pid) => !only || pid === only), statuses, 200);
        if (rows.length === 0) io.stdout.write('没有待处理的跟进。\n');
        for (const f of rows) {
          const pb = byId.get(f.playbookId)!;
          io.stdout.write(`[${pb.name}] ${listItem(pb, f, now)}\n`);
        }
        return 0;
      }

      const id = Number(/^#?(\d+)$/.exec(idArg ?? '')?.[1] ?? NaN);
      const op = OPS[sub];
      if (sub !== 'show' && !op) {
        io.stderr.write(`不认识的子指令：${sub}\n${USAGE}\n`);
        return 2;
      }
      if (!Number.isInteger(id)) {
        io.stderr.write(`用法：classbot followups ${op?.usage ?? 'show <编号>'}\n`);
        return 2;
      }
      const f = repo.get(id);
      const pb = f ? byId.get(f.playbookId) : undefined;
      if (!f || !pb) {
        io.stderr.write(`没有找到跟进 #${id}（或它所属的班级配置不在 ${dir}）。\n`);
        return 1;
      }
      if (!op) {
        io.stdout.write(`${showText(pb, f, repo.events(f.id), now)}\n`);
        return 0;
      }
      const as = option(rest, 'as');
      const actor = as ? pb.staff.find((s) => s.name === as) : undefined;
      if (!actor) {
        io.stderr.write(as ? `“${as}”不是班级配置 ${pb.file} 里的老师，不能处理这条跟进。\n` : `请用 --as 写明是哪位老师在处理，例如 --as ${pb.staff[0]?.name ?? '李老师'}\n`);
        return as ? 1 : 2;
      }
      const out = store.tx(() => op.run(services, pb, f, actor, words, now));
      if (typeof out === 'string') {
        io.stderr.write(`${out}\n`);
        return 1;
      }
      const vars = { ...followupVars(pb, out.f, now), staff: actor.name };
      if (!out.ok) {
        io.stderr.write(`${text(pb, out.reason === 'closed' ? 'followup_closed' : 'followup_claimed_already', vars)}\n`);
        return 1;
      }
      io.stdout.write(`${text(pb, typeof op.ok === 'string' ? op.ok : op.ok(out.f), vars)}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

/**
 * Staff commands on follow-ups, in the staff group or a direct chat with the bot. The engine
 * refuses parents; here a staff member may act only on follow-ups of playbooks where they are staff.
 */
import type { CommandSpec, MessageContext } from '../../engine/feature.js';
import { findStaff, text, type Playbook } from '../../playbook/playbook.js';
import type { StaffConfig } from '../../playbook/schema.js';
import { claim, dismiss, note, openFollowup, reassign, resolve, resolvedText, type Outcome } from './actions.js';
import { categoryLabel, currentDeadline, followupVars, listItem, parseCategory, showText } from './format.js';
import { refreshCards } from './cards.js';
import { alertContext, pastMessages } from './history.js';
import { followupRepo, type Followup } from './repo.js';
import { CATEGORIES, type Category, type Severity } from './schema.js';
import { DAY } from '../../time.js';

const SEVERITY_OF: Record<Category, Severity> = {
  safety: 'urgent', refund: 'high', complaint: 'high', wellbeing: 'medium', academic: 'medium', question: 'medium',
};

/** '#12' or '12' → 12. */
export function parseId(arg: string | undefined): number | null {
  const m = /^[#＃]?(\d{1,12})$/.exec(arg ?? '');
  return m ? Number(m[1]) : null;
}

interface Located {
  f: Followup;
  pb: Playbook;
  actor: StaffConfig;
}

/** The follow-up `id` if the sender is staff of its playbook; otherwise replies and returns null. */
function locate(ctx: MessageContext, arg: string | undefined, usage: string): Located | null {
  const id = parseId(arg);
  if (id === null) {
    ctx.reply(text(ctx.playbook, 'followup_usage', { usage }));
    return null;
  }
  const f = followupRepo(ctx.services.store).get(id);
  const pb = f && ctx.services.playbooks().find((p) => p.id === f.playbookId);
  const actor = pb && findStaff(pb, ctx.msg.platform, ctx.sender.id);
  if (!f || !pb || !actor) {
    ctx.reply(text(ctx.playbook, 'followup_not_found', { id }));
    return null;
  }
  // A group chat is read by its playbook's staff: another class's follow-up is for a direct chat.
  if (ctx.where !== 'direct' && pb.id !== ctx.playbook.id) {
    ctx.reply(text(ctx.playbook, 'followup_other_class', { id }));
    return null;
  }
  return { f, pb, actor };
}

/** Parents' details stay out of the class group. */
function inPrivate(ctx: MessageContext): boolean {
  if (ctx.where !== 'class') return true;
  ctx.reply(text(ctx.playbook, 'followup_private'));
  return false;
}

function report(ctx: MessageContext, pb: Playbook, out: Outcome, okKey: string, extra: Record<string, string> = {}): void {
  const vars = { ...followupVars(pb, out.f, ctx.now), ...extra };
  if (out.ok) {
    ctx.reply(text(pb, okKey, vars));
    refreshCards(ctx.services, pb, out.f, ctx.now);
  } else ctx.reply(text(pb, out.reason === 'closed' ? 'followup_closed' : 'followup_claimed_already', vars));
}

/** A command on one follow-up: `/name id rest…`. */
function onOne(
  names: string[],
  summary: string,
  usage: string,
  run: (ctx: MessageContext, found: Located, rest: string[]) => void,
): CommandSpec {
  return {
    names,
    staffOnly: true,
    summary,
    usage,
    run(ctx, args) {
      if (!inPrivate(ctx)) return;
      const found = locate(ctx, args[0], `/${names[0]} ${usage}`);
      if (found) run(ctx, found, args.slice(1));
    },
  };
}

const rest = (words: string[]) => words.join(' ').trim() || null;

/** Playbooks where the sender is staff: all of them in a direct chat, else the chat's own. */
function myPlaybooks(ctx: MessageContext): Playbook[] {
  if (ctx.where !== 'direct') return [ctx.playbook];
  return ctx.services.playbooks().filter((pb) => findStaff(pb, ctx.msg.platform, ctx.sender.id));
}

/** Unclaimed first, then by the deadline that matters now. */
const rank = (f: Followup) => (f.status === 'open' ? 0 : 1);

const list: CommandSpec = {
  names: ['跟进', 'followups'],
  phrases: ['跟进列表'],
  staffOnly: true,
  summary: '查看待处理的跟进',
  run(ctx) {
    if (!inPrivate(ctx)) return;
    const pbs = new Map(myPlaybooks(ctx).map((pb) => [pb.id, pb]));
    const rows = followupRepo(ctx.services.store)
      .list([...pbs.keys()], ['open', 'claimed'])
      .sort((a, b) => rank(a) - rank(b) || currentDeadline(a) - currentDeadline(b) || a.id - b.id);
    if (rows.length === 0) {
      ctx.reply(text(ctx.playbook, 'followup_list_empty'));
      return;
    }
    const lines = rows.map((f) => listItem(pbs.get(f.playbookId)!, f, ctx.now));
    ctx.reply([text(ctx.playbook, 'followup_list_header', { count: rows.length }), ...lines].join('\n'));
  },
};

const show = onOne(['跟进详情', 'followup'], '查看一条跟进的详情和记录', '编号', (ctx, { f, pb }) => {
  ctx.reply(showText(pb, f, followupRepo(ctx.services.store).events(f.id), ctx.now));
});

const claimCmd = onOne(['认领', 'claim'], '认领一条跟进', '编号', (ctx, { f, pb, actor }) => {
  report(ctx, pb, claim(ctx.services, pb, f, actor, ctx.now), 'followup_claimed', { staff: actor.name });
});

const noteCmd = onOne(['备注', 'note'], '给跟进加一条备注', '编号 内容', (ctx, { f, pb, actor }, words) => {
  const body = rest(words);
  if (!body) ctx.reply(text(pb, 'followup_usage', { usage: '/备注 编号 内容' }));
  else report(ctx, pb, note(ctx.services, f, actor, body, ctx.now), 'followup_noted');
});

const resolveCmd = onOne(['解决', 'resolve'], '标记跟进已解决（并请家长评价）', '编号 [处理说明]', (ctx, { f, pb, actor }, words) => {
  const out = resolve(ctx.services, pb, f, actor, rest(words), ctx.now);
  report(ctx, pb, out, resolvedText(out.f));
});

const dismissCmd = onOne(['误报', 'dismiss'], '标记为误报（保留用于改进识别）', '编号 [原因]', (ctx, { f, pb, actor }, words) => {
  report(ctx, pb, dismiss(ctx.services, f, actor, rest(words), ctx.now), 'followup_dismissed');
});

const reassignCmd = onOne(['转交', 'reassign'], '把跟进转交给另一位老师', '编号 老师名字', (ctx, { f, pb, actor }, words) => {
  const name = rest(words)?.replace(/^[@＠]/, '');
  const to = name ? pb.staff.find((s) => s.name === name) : undefined;
  if (!to) {
    ctx.reply(name ? text(pb, 'followup_unknown_staff', { name }) : text(pb, 'followup_usage', { usage: '/转交 编号 老师名字' }));
    return;
  }
  const out = reassign(ctx.services, pb, f, actor, to, ctx.now);
  const id = to.ids[ctx.msg.platform];
  if (out.ok) ctx.reply(text(pb, 'followup_reassigned', followupVars(pb, out.f, ctx.now)), { mentions: id ? [{ id, name: to.name }] : [] });
  else report(ctx, pb, out, 'followup_reassigned');
});

/** `/新跟进 @家长 类别 说明`: staff open a follow-up the detector did not see. */
const openCmd: CommandSpec = {
  names: ['新跟进', 'open'],
  staffOnly: true,
  summary: '为一位家长新建跟进',
  usage: '@家长 类别 说明',
  run(ctx, args) {
    const pb = ctx.playbook;
    const repo = followupRepo(ctx.services.store);
    const usage = () => ctx.reply(text(pb, 'followup_usage', { usage: '/新跟进 @家长 类别 说明' }));
    const mentioned = ctx.msg.mentions[0];
    // Mentions may stay in the text as "@名字" (platform-dependent): they are not arguments.
    const words = mentioned ? args.filter((a) => !/^[@＠]/.test(a)) : args;
    let parent = mentioned ? repo.member(ctx.msg.platform, mentioned.id) : null;
    if (!mentioned) {
      const name = words.shift()?.replace(/^[@＠]/, '');
      if (!name) return usage();
      const found = repo.membersNamed(ctx.msg.platform, name, pb.id);
      if (found.length !== 1) return void ctx.reply(text(pb, 'followup_unknown_parent', { name }));
      parent = found[0]!;
    }
    if (!parent) return void ctx.reply(text(pb, 'followup_unknown_parent', { name: mentioned!.name }));
    const category = words[0] ? parseCategory(pb, words[0]) : null;
    if (!category) return void ctx.reply(text(pb, 'followup_unknown_category', { categories: CATEGORIES.map((c) => categoryLabel(pb, c)).join('、') }));
    const description = rest(words.slice(1)) ?? '';
    const groupRowId = ctx.where === 'class' ? ctx.groupRowId : repo.latestGroupOf(parent.id, pb.id);
    const past = pastMessages(ctx.services.store, parent.id, groupRowId, Number.MAX_SAFE_INTEGER, ctx.now - DAY);
    const { f } = openFollowup(ctx.services, {
      pb,
      platform: ctx.msg.platform,
      groupRowId,
      member: { memberId: parent.id, userId: parent.userId, name: parent.name },
      messageId: null,
      message: description,
      category,
      severity: SEVERITY_OF[category],
      source: 'staff',
      actor: ctx.sender.staff?.name ?? ctx.sender.name,
      context: alertContext(past, ctx.now),
      now: ctx.now,
    });
    // In the class group the alert in the staff chat is the confirmation; nothing is said in public.
    if (ctx.where !== 'class') ctx.reply(text(pb, 'followup_opened', followupVars(pb, f, ctx.now)));
  },
};

export const followupCommands: CommandSpec[] = [list, show, openCmd, claimCmd, noteCmd, resolveCmd, dismissCmd, reassignCmd];

import { normalise } from '../detector/normalise.js';
import { text } from '../playbook/playbook.js';
import type { CommandSpec, Feature, MessageContext } from './feature.js';

export interface ParsedCommand {
  spec: CommandSpec | null;
  name: string;
  args: string[];
}

/**
 * Finds and authorises commands: `/name args` (full-width ／ too) or a whole-message phrase.
 * A command from someone who may not use it is refused politely and changes nothing.
 */
export class Commands {
  private readonly byName = new Map<string, CommandSpec>();
  private readonly byPhrase = new Map<string, CommandSpec>();
  readonly specs: readonly CommandSpec[];

  constructor(features: Feature[]) {
    const help: CommandSpec = {
      names: ['帮助', 'help'],
      summary: '查看可用指令',
      run: (ctx) => this.help(ctx),
    };
    this.specs = [help, ...features.flatMap((f) => f.commands ?? [])];
    for (const spec of this.specs) {
      for (const n of spec.names) this.byName.set(normalise(n), spec);
      for (const p of spec.phrases ?? []) this.byPhrase.set(normalise(p), spec);
    }
  }

  /** Names and phrases are read as the detector reads text: /跟進 or 我的打卡 in Traditional, /ＨＥＬＰ in full width. */
  parse(raw: string): ParsedCommand | null {
    const t = raw.trim();
    if (t.startsWith('/') || t.startsWith('／')) {
      const [name = '', ...args] = t.slice(1).trim().split(/\s+/);
      if (!name) return null;
      return { spec: this.byName.get(normalise(name)) ?? null, name, args };
    }
    const spec = this.byPhrase.get(normalise(t));
    return spec ? { spec, name: t, args: [] } : null;
  }

  /** Runs the command in `ctx` if its text is one; true when the message was a command. */
  handle(ctx: MessageContext): boolean {
    const cmd = this.parse(ctx.msg.text);
    if (!cmd) return false;
    if (!cmd.spec) {
      // Stray slashes from parents in the class group are just chat, unless the bot was asked.
      if (ctx.where === 'class' && !ctx.msg.addressed) return false;
      ctx.reply(text(ctx.playbook, 'unknown_command', { command: cmd.name }));
      return true;
    }
    if (cmd.spec.staffOnly && ctx.sender.role !== 'staff') {
      ctx.reply(text(ctx.playbook, 'staff_only', { name: ctx.sender.name }), { mentions: [{ id: ctx.sender.id, name: ctx.sender.name }] });
      return true;
    }
    cmd.spec.run(ctx, cmd.args);
    return true;
  }

  private help(ctx: MessageContext): void {
    // Everyone in a class group reads the answer: there, staff too get the parents' list.
    const staffList = ctx.sender.role === 'staff' && ctx.where !== 'class';
    const lines = this.specs
      .filter((s) => staffList || !s.staffOnly)
      .map((s) => `/${s.names[0]}${s.usage ? ` ${s.usage}` : ''} — ${s.summary}${s.phrases?.length ? `（也可直接发“${s.phrases[0]}”）` : ''}`);
    ctx.reply([text(ctx.playbook, 'help_header'), ...lines].join('\n'));
  }
}

import { resolve } from 'node:path';
import { formatError, loadPlaybookPath } from '../playbook/load.js';
import type { Command } from './command.js';
import { playbookDirFrom } from './options.js';

export const checkCommand: Command = {
  name: 'check',
  summary: '检查班级配置（playbooks）是否正确',
  usage: 'classbot check [目录或文件]   默认 playbooks/；有错误时逐条列出“文件:行:列: 字段: 问题”，并以非零状态退出；\n  提醒（可能写错的地方、政策提醒）同样列出，但不影响通过。政策提醒确认保留时在配置里写 policy_ack: [规则 id]',
  async run(args, io) {
    const dir = resolve(io.cwd, args.find((a) => !a.startsWith('-')) ?? playbookDirFrom(io.env));
    const { playbooks, errors, warnings } = loadPlaybookPath(dir, io.cwd);
    for (const pb of playbooks) io.stdout.write(`✓ ${pb.file}（${pb.name}，${pb.groups.length} 个群）\n`);
    for (const w of warnings) io.stderr.write(`${formatError(w)}\n`);
    for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
    if (errors.length > 0) {
      io.stderr.write(`发现 ${errors.length} 个问题，请修改后再试。\n`);
      return 1;
    }
    if (playbooks.length === 0) {
      io.stderr.write(`${dir} 里没有班级配置（*.yaml）。\n`);
      return 1;
    }
    io.stdout.write(`全部 ${playbooks.length} 个配置检查通过${warnings.length ? `，另有 ${warnings.length} 条提醒（见上）` : ''}。\n`);
    return 0;
  },
};

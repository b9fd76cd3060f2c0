import { resolve } from 'node:path';
import { formatError, loadPlaybookPath } from '../playbook/load.js';
import type { Command } from './command.js';
import { playbookDirFrom } from './options.js';

export const checkCommand: Command = {
  name: 'check',
  summary: '检查班级配置（playbooks）是否正确',
  usage: 'classbot check [目录或文件]   默认 playbooks/；有错误时逐条列出“文件:行:列: 字段: 问题”，并以非零状态退出',
  async run(args, io) {
    const dir = resolve(io.cwd, args.find((a) => !a.startsWith('-')) ?? playbookDirFrom(io.env));
    const { playbooks, errors } = loadPlaybookPath(dir, io.cwd);
    for (const pb of playbooks) io.stdout.write(`✓ ${pb.file}（${pb.name}，${pb.groups.length} 个群）\n`);
    for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
    if (errors.length > 0) {
      io.stderr.write(`发现 ${errors.length} 个问题，请修改后再试。\n`);
      return 1;
    }
    if (playbooks.length === 0) {
      io.stderr.write(`${dir} 里没有班级配置（*.yaml）。\n`);
      return 1;
    }
    io.stdout.write(`全部 ${playbooks.length} 个配置检查通过。\n`);
    return 0;
  },
};

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateFaq, formatFaqReport, parseFaqTsv } from '../features/faq/evaluate.js';
import { formatError, loadPlaybookDir } from '../playbook/load.js';
import type { Playbook } from '../playbook/playbook.js';
import type { Command } from './command.js';
import { option, playbookDirFrom } from './options.js';

export const faqCommand: Command = {
  name: 'faq',
  summary: '用标注文件评估常见问题（FAQ）的匹配：精确率、召回率和答错/漏答的句子',
  usage: [
    'classbot faq --eval 文件.tsv [--playbook 配置id]',
    '    文件每行「家长消息<TAB>应回答的常见问题 q」，不该回答的留空；',
    '    「# playbook: 配置id」一行指定后面各行属于哪个班级配置（否则用 --playbook，或目录里唯一的配置）',
    '    配置从 playbooks/ 目录读取（或环境变量 CLASSBOT_PLAYBOOKS）',
  ].join('\n'),
  async run(args, io) {
    const file = option(args, 'eval');
    if (!file) {
      io.stderr.write('请用 --eval 指定标注文件，例如 classbot faq --eval tests/fixtures/faq-dev.tsv\n');
      return 2;
    }
    let source: string;
    try {
      source = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch (e) {
      io.stderr.write(`无法读取 ${file}：${(e as Error).message}\n`);
      return 1;
    }
    const { rows, errors } = parseFaqTsv(source);
    const loaded = loadPlaybookDir(resolve(io.cwd, playbookDirFrom(io.env)), io.cwd);
    for (const e of loaded.errors) io.stderr.write(`${formatError(e)}\n`);
    const byId = new Map(loaded.playbooks.map((pb) => [pb.id, pb]));
    const named = option(args, 'playbook');
    if (named !== undefined && !byId.has(named)) {
      io.stderr.write(`找不到 id 为 ${named} 的班级配置（${[...byId.keys()].join('、') || '目录里没有配置'}）\n`);
      return 1;
    }
    const fallback = named ?? (loaded.playbooks.length === 1 ? loaded.playbooks[0]!.id : undefined);
    const unknown = new Set<string>();
    const used = new Map<number, Playbook>();
    for (const row of rows) {
      // --playbook picks one playbook's lines; otherwise each line goes to the playbook its section names.
      const id = row.playbook ?? fallback;
      if (named !== undefined && row.playbook !== undefined && row.playbook !== named) continue;
      const pb = id === undefined ? undefined : byId.get(id);
      if (pb) used.set(row.line, pb);
      else unknown.add(id ?? '');
    }
    for (const id of unknown) errors.push(id ? `找不到 id 为 ${id} 的班级配置` : '有些行没有指定班级配置：请加「# playbook: 配置id」一行或 --playbook');
    for (const e of errors) io.stderr.write(`${e}\n`);
    if (errors.length > 0) return 1;
    if (used.size === 0) {
      io.stderr.write('文件里没有可评估的行\n');
      return 1;
    }
    const report = evaluateFaq(rows.filter((r) => used.has(r.line)), (r) => used.get(r.line)!);
    io.stdout.write(formatFaqReport(report));
    return 0;
  },
};

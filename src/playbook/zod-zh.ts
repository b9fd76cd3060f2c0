import { z } from 'zod';

/**
 * Playbook errors are read by teaching assistants, so zod's messages are Chinese and use plain
 * words for types ("文本", "列表") rather than type names.
 */
const TYPE_WORDS: Record<string, string> = {
  string: '文本', number: '数字', int: '整数', boolean: '是/否（true/false）', array: '列表',
  object: '键值对象', undefined: '空', null: '空', date: '日期',
};

const word = (t: unknown) => TYPE_WORDS[String(t)] ?? String(t);

function received(input: unknown): string {
  if (input === undefined) return '缺失';
  if (input === null) return '空';
  if (Array.isArray(input)) return '列表';
  return word(typeof input);
}

let installed = false;

export function installChineseErrors(): void {
  if (installed) return;
  installed = true;
  z.config(z.locales.zhCN());
  const base = z.config().localeError;
  z.config({
    customError: (issue) => {
      if (issue.code === 'invalid_type') {
        if (issue.input === undefined) return '缺少必填项';
        return `应为${word(issue.expected)}，实际是${received(issue.input)}`;
      }
      if (issue.code === 'unrecognized_keys') {
        return `不认识的字段：${issue.keys.join('、')}（拼写错误？请查看 playbooks/README.md）`;
      }
      if (issue.code === 'invalid_value') {
        return `取值无效，可选：${issue.values.map((v) => String(v)).join(' / ')}`;
      }
      return base?.(issue);
    },
  });
}

/**
 * Every text the bot says, in Simplified Chinese, by key. A playbook's `messages:` block
 * overrides any of them; `{name}` placeholders are filled by the feature that sends the text.
 */
export const DEFAULT_MESSAGES = {
  staff_only: '抱歉，这个指令只有老师和助教可以使用哦～有问题可以直接@我或私信{assistant}。',
  unknown_command: '没有找到指令“{command}”。发送 /帮助 查看可用指令。',
  help_header: '可用指令：',
  playbook_error: '⚠️ 班级配置 {file} 有错误，已继续使用上一版配置：\n{errors}',
  playbook_reloaded: '✅ 班级配置 {file} 已更新。',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof DEFAULT_MESSAGES;

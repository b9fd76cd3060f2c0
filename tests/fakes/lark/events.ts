/** Event payloads in the `{schema:'2.0', header, event}` shape Lark pushes over the long connection. */

let seq = 0;

export interface MentionSpec {
  key: string;
  openId: string;
  name: string;
}

export interface MessageSpec {
  messageId: string;
  chatId: string;
  chatType?: 'group' | 'p2p';
  sender: string;
  messageType?: string;
  content: object;
  mentions?: MentionSpec[];
  createTime?: number;
  eventId?: string;
  appId?: string;
  /** `app` for a message another bot sent. */
  senderType?: 'user' | 'app';
}

export function messageEvent(spec: MessageSpec): object {
  const createTime = spec.createTime ?? 1_760_000_000_000;
  return {
    schema: '2.0',
    header: {
      event_id: spec.eventId ?? `ev_${++seq}`,
      event_type: 'im.message.receive_v1',
      create_time: String(createTime),
      token: 'verification-token',
      app_id: spec.appId ?? 'cli_a1b2c3d4e5f60718',
      tenant_key: 'tenant_1',
    },
    event: {
      sender: {
        sender_id: { open_id: spec.sender, union_id: `on_${spec.sender}`, user_id: `u_${spec.sender}` },
        sender_type: spec.senderType ?? 'user',
        tenant_key: 'tenant_1',
      },
      message: {
        message_id: spec.messageId,
        create_time: String(createTime),
        update_time: String(createTime),
        chat_id: spec.chatId,
        chat_type: spec.chatType ?? 'group',
        message_type: spec.messageType ?? 'text',
        content: JSON.stringify(spec.content),
        mentions: (spec.mentions ?? []).map((m) => ({
          key: m.key,
          id: { open_id: m.openId, union_id: `on_${m.openId}`, user_id: `u_${m.openId}` },
          name: m.name,
          tenant_key: 'tenant_1',
        })),
      },
    },
  };
}

export interface CardActionSpec {
  operator: string;
  value: Record<string, unknown>;
  messageId: string;
  chatId: string;
  eventId?: string;
  createTime?: number;
}

/** A `card.action.trigger` callback (button press on a JSON 2.0 card with a callback behaviour). */
export function cardActionEvent(spec: CardActionSpec): object {
  return {
    schema: '2.0',
    header: {
      event_id: spec.eventId ?? `ev_card_${++seq}`,
      event_type: 'card.action.trigger',
      create_time: String(spec.createTime ?? 1_760_000_000_000),
      token: 'verification-token',
      app_id: 'cli_a1b2c3d4e5f60718',
      tenant_key: 'tenant_1',
    },
    event: {
      operator: { tenant_key: 'tenant_1', open_id: spec.operator, union_id: `on_${spec.operator}`, user_id: `u_${spec.operator}` },
      token: 'c-callback-token',
      action: { tag: 'button', value: spec.value },
      host: 'im_message',
      context: { open_message_id: spec.messageId, open_chat_id: spec.chatId },
    },
  };
}

function header(eventType: string, createTime: number, eventId?: string): object {
  return {
    event_id: eventId ?? `ev_${++seq}`,
    event_type: eventType,
    create_time: String(createTime),
    token: 'verification-token',
    app_id: 'cli_a1b2c3d4e5f60718',
    tenant_key: 'tenant_1',
  };
}

const operator = { open_id: 'ou_operator', union_id: 'on_operator', user_id: 'u_operator' };

/** `im.chat.member.bot.added_v1`: someone added the bot to a chat; the event names the chat. */
export function botAddedEvent(spec: { chatId: string; name: string; createTime?: number; eventId?: string }): object {
  return {
    schema: '2.0',
    header: header('im.chat.member.bot.added_v1', spec.createTime ?? 1_760_000_000_000, spec.eventId),
    event: {
      chat_id: spec.chatId,
      operator_id: operator,
      external: false,
      operator_tenant_key: 'tenant_1',
      name: spec.name,
      i18n_names: { zh_cn: spec.name, en_us: '', ja_jp: '' },
    },
  };
}

/** `im.chat.updated_v1`: a chat's settings changed (here: its name). */
export function chatRenamedEvent(spec: { chatId: string; before: string; after: string; createTime?: number; eventId?: string }): object {
  return {
    schema: '2.0',
    header: header('im.chat.updated_v1', spec.createTime ?? 1_760_000_000_000, spec.eventId),
    event: {
      chat_id: spec.chatId,
      operator_id: operator,
      external: false,
      operator_tenant_key: 'tenant_1',
      after_change: { name: spec.after, i18n_names: { zh_cn: spec.after } },
      before_change: { name: spec.before, i18n_names: { zh_cn: spec.before } },
    },
  };
}

/** `im.message.recalled_v1`: a message was recalled (by its sender, or an admin). */
export function recalledEvent(spec: { messageId: string; chatId: string; recallTime?: number; eventId?: string }): object {
  const recallTime = spec.recallTime ?? 1_760_000_000_000;
  return {
    schema: '2.0',
    header: header('im.message.recalled_v1', recallTime, spec.eventId),
    event: { message_id: spec.messageId, chat_id: spec.chatId, recall_time: String(recallTime), recall_type: 'message_owner' },
  };
}

/** `im.chat.member.user.added_v1` / `deleted_v1`: users joined or left a chat. */
export function membersEvent(spec: {
  change: 'added' | 'deleted';
  chatId: string;
  users: { openId: string; name: string; tenantKey?: string }[];
  createTime?: number;
  eventId?: string;
}): object {
  return {
    schema: '2.0',
    header: header(`im.chat.member.user.${spec.change}_v1`, spec.createTime ?? 1_760_000_000_000, spec.eventId),
    event: {
      chat_id: spec.chatId,
      operator_id: operator,
      external: spec.users.some((u) => u.tenantKey && u.tenantKey !== 'tenant_1'),
      operator_tenant_key: 'tenant_1',
      name: '',
      users: spec.users.map((u) => ({
        name: u.name,
        tenant_key: u.tenantKey ?? 'tenant_1',
        user_id: { open_id: u.openId, union_id: `on_${u.openId}`, user_id: `u_${u.openId}` },
      })),
    },
  };
}

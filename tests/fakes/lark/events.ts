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
        sender_type: 'user',
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

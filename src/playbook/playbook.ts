import type { Platform } from '../model.js';
import { normalise } from '../detector/normalise.js';
import { DEFAULT_MESSAGES } from '../messages.js';
import { renderTemplate, type TemplateVars } from '../template.js';
import { defaultGroupKey, type FaqEntry, type GroupConfig, type PlaybookData, type StaffConfig } from './schema.js';
import { compileCalendar, type Calendar } from './calendar.js';
import { compilePattern, type Pattern } from './pattern.js';

/** A validated playbook, compiled once at load so the per-message path does no parsing. */
export interface Playbook {
  id: string;
  file: string;
  data: PlaybookData;
  name: string;
  timezone: string;
  groups: GroupConfig[];
  staffGroup: (GroupConfig & { key: 'staff' }) | null;
  staff: StaffConfig[];
  assistantName: string;
  calendar: Calendar;
  faq: (FaqEntry & { regex: Pattern | null })[];
}

export function compilePlaybook(data: PlaybookData, id: string, file: string): Playbook {
  const firstAssistant = data.staff.find((s) => s.role === 'assistant') ?? data.staff[0];
  return {
    id,
    file,
    data,
    name: data.name,
    timezone: data.timezone,
    groups: data.groups.map((g, i) => ({ ...g, key: defaultGroupKey(g.key, i) })),
    staffGroup: data.staff_group ? { ...data.staff_group, key: 'staff' } : null,
    staff: data.staff,
    assistantName: data.assistant ?? firstAssistant?.name ?? '助教老师',
    calendar: compileCalendar(data.calendar),
    // Keywords as messages are matched: normalised like the detector reads text, so 課表 matches 课表.
    faq: data.faq.map((f) => ({ ...f, keywords: f.keywords.map(normalise), regex: f.pattern ? compilePattern(f.pattern, { ignoreCase: true }) : null })),
  };
}

export function findStaff(pb: Playbook, platform: Platform, userId: string): StaffConfig | undefined {
  return pb.staff.find((s) => s.ids[platform] === userId);
}

/** The playbook's text for `key` (its override or the default), with placeholders filled. */
export function text(pb: Playbook, key: string, vars: TemplateVars = {}): string {
  const template = pb.data.messages[key] ?? (DEFAULT_MESSAGES as Record<string, string>)[key] ?? key;
  // Labels and most short texts have no placeholder: nothing to render (they are asked for on every message).
  if (!template.includes('{')) return template;
  return renderTemplate(template, { class: pb.name, assistant: pb.assistantName, ...vars });
}

export function groupByKey(pb: Playbook, key: string): GroupConfig | undefined {
  return key === 'staff' ? pb.staffGroup ?? undefined : pb.groups.find((g) => g.key === key);
}

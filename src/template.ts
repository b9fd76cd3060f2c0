/**
 * `{name}` placeholders in assistant-written texts. Unknown placeholders stay visible so a typo
 * in a playbook shows up in the preview instead of silently vanishing; values are inserted
 * verbatim and never re-expanded, so user text cannot inject placeholders.
 */
export type TemplateVars = Record<string, string | number | undefined>;

const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

/** Placeholder names a template uses, for validation against what a feature provides. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

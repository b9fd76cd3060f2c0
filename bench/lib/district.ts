/**
 * A district's playbooks for the bench: copies of the example class playbook
 * (playbooks/g3-class2.yaml, which exercises every feature) with generated groups, staff and ids
 * on a real platform, so the bench runs whatever the example configures, feature blocks included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { Platform } from '../../src/model.js';

export const EXAMPLE_PLAYBOOK = fileURLToPath(new URL('../../playbooks/g3-class2.yaml', import.meta.url));
export const EXAMPLE_DIR = fileURLToPath(new URL('../../playbooks', import.meta.url));

export interface DistrictGroup {
  /** Index over the whole district, 0-based. */
  index: number;
  chatId: string;
  key: string;
  platform: Platform;
  playbook: DistrictPlaybook;
}

export interface DistrictPlaybook {
  id: string;
  staffGroupChatId: string;
  /** Platform user ids of the playbook's staff, in playbook order. */
  staffIds: string[];
  groups: DistrictGroup[];
}

export interface DistrictOptions {
  playbooks: number;
  groupsPerPlaybook: number;
  /** Platform of each playbook (by playbook index). */
  platform: (playbookIndex: number) => Platform;
  /** Changes the parsed YAML of each playbook before it is written (e.g. adds reminders). */
  edit?: (doc: Record<string, unknown>, playbook: DistrictPlaybook) => void;
}

/** The key of the n-th class group of a playbook (0-based): 'class', then 'class2', 'class3'… */
export const groupKey = (n: number): string => (n === 0 ? 'class' : `class${n + 1}`);

/** Writes the district's playbooks into `dir` and describes them. */
export function writeDistrict(dir: string, opts: DistrictOptions): DistrictPlaybook[] {
  const example = parse(readFileSync(EXAMPLE_PLAYBOOK, 'utf8')) as Record<string, unknown>;
  const exampleStaff = example.staff as { name: string; role?: string }[];
  const out: DistrictPlaybook[] = [];
  for (let p = 0; p < opts.playbooks; p++) {
    const platform = opts.platform(p);
    const id = `district-${String(p).padStart(4, '0')}`;
    const pb: DistrictPlaybook = {
      id,
      staffGroupChatId: `oc_staff_${p}`,
      staffIds: exampleStaff.map((_, i) => `ou_staff_${p}_${i}`),
      groups: [],
    };
    for (let g = 0; g < opts.groupsPerPlaybook; g++) {
      const index = p * opts.groupsPerPlaybook + g;
      pb.groups.push({ index, chatId: `oc_class_${index}`, key: groupKey(g), platform, playbook: pb });
    }
    const doc: Record<string, unknown> = structuredClone(example);
    doc.id = id;
    doc.name = `第${p + 1}期 ${String(example.name)}`;
    doc.groups = pb.groups.map((g) => ({ key: g.key, platform, id: g.chatId, name: `${doc.name} ${g.index + 1} 群` }));
    doc.staff_group = { platform, id: pb.staffGroupChatId, name: `${doc.name} 老师群` };
    doc.staff = exampleStaff.map((s, i) => ({ ...s, ids: { [platform]: pb.staffIds[i] } }));
    opts.edit?.(doc, pb);
    writeFileSync(join(dir, `${id}.yaml`), stringify(doc));
    out.push(pb);
  }
  return out;
}

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { playbookSchema } from './schema.js';
import { lintPlaybook } from './lint.js';
import { indentHint, typoHints } from './yaml-hints.js';
import { compilePlaybook, type Playbook } from './playbook.js';

/** One problem in a playbook, located for the assistant who has to fix it. */
export interface PlaybookError {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

/** `warnings`: likely mistakes and policy findings (src/playbook/lint.ts), located like errors; the playbook runs. */
export type LoadResult = { ok: true; playbook: Playbook; warnings: PlaybookError[] } | { ok: false; errors: PlaybookError[] };

const MAX_BYTES = 1_000_000;
/** Aliases are handy for sharing a block; hundreds of them is an alias bomb. */
const MAX_ALIASES = 200;

export function formatError(e: PlaybookError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

/** `reminders.0.cron` → `reminders[0].cron` */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
}

/** The deepest YAML node along `path`, and whether the path's last key itself was found. */
function locate(root: Node | null, path: readonly PropertyKey[], wantKey: boolean): Node | null {
  let node: Node | null = root;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node;
      if (wantKey && seg === path[path.length - 1]) return pair.key as Node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg] as Node;
    } else {
      return node;
    }
  }
  return node;
}

export function parsePlaybook(source: string, file: string, idFallback: string): LoadResult {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { line: pos.line, col: pos.col };
  };
  const err = (offset: number, path: string, message: string): PlaybookError => ({ file, ...at(offset), path, message });

  if (source.length > MAX_BYTES) return { ok: false, errors: [{ file, line: 1, col: 1, path: '', message: '文件太大（超过 1 MB），请拆分' }] };
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const typos = () => typoHints(source).map((h) => ({ file, line: h.line, col: h.col, path: '', message: h.message }));
  if (doc.errors.length > 0) {
    // Said where the mistake is, in an assistant's words; the parser's own errors only when we see none of those.
    const typoErrors = typos();
    if (typoErrors.length > 0) return { ok: false, errors: typoErrors };
    const indent = indentHint(source);
    if (indent) return { ok: false, errors: [{ file, ...indent, path: '' }] };
    return { ok: false, errors: doc.errors.map((e) => err(e.pos[0], '', `YAML 格式错误：${yamlMessageZh(e.code, e.message)}`)) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return { ok: false, errors: [err(0, '', `YAML 无法展开：${(e as Error).message.includes('alias') ? '别名（&/*）引用过多' : (e as Error).message}`)] };
  }
  if (data === null || data === undefined) return { ok: false, errors: [err(0, '', '文件是空的')] };

  const parsed = playbookSchema.safeParse(data);
  if (!parsed.success) return { ok: false, errors: [...typos(), ...issuesToErrors(parsed.error.issues, doc.contents as Node | null, err)] };
  const root = doc.contents as Node | null;
  const warnings = lintPlaybook(parsed.data).map((f) => err(locate(root, f.path, false)?.range?.[0] ?? 0, formatPath(f.path), f.message));
  return { ok: true, playbook: compilePlaybook(parsed.data, parsed.data.id ?? idFallback, file), warnings };
}

function issuesToErrors(
  issues: z.core.$ZodIssue[],
  root: Node | null,
  err: (offset: number, path: string, message: string) => PlaybookError,
): PlaybookError[] {
  const out: PlaybookError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const node = locate(root, [...issue.path, key], true);
        out.push(err(node?.range?.[0] ?? 0, formatPath([...issue.path, key]), `不认识的字段（拼写错误？请查看 playbooks/README.md）`));
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest rather than "no alternative matched".
      // Nested paths are relative to the union's value.
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      out.push(...issuesToErrors(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), root, err));
      continue;
    }
    const node = locate(root, issue.path, false);
    out.push(err(node?.range?.[0] ?? 0, formatPath(issue.path), issue.message));
  }
  return out;
}

const deepest = (issues: z.core.$ZodIssue[]) => Math.max(...issues.map((i) => i.path.length));

function yamlMessageZh(code: string, message: string): string {
  const zh: Record<string, string> = {
    DUPLICATE_KEY: '同一层级里有重复的字段名',
    BAD_INDENT: '缩进不对（同一层级要对齐，用空格不要用 Tab）',
    TAB_AS_INDENT: '不能用 Tab 缩进，请改成空格',
    MISSING_CHAR: '缺少字符（引号或括号没有闭合？）',
    MULTILINE_IMPLICIT_KEY: '字段名不能跨行（冒号后面要有空格？）',
    BLOCK_AS_IMPLICIT_KEY: '缩进不对，或冒号后缺少空格',
    UNEXPECTED_TOKEN: '出现了意外的字符',
    BAD_SCALAR_START: '这个值需要加引号',
  };
  return `${zh[code] ?? '无法解析'}（${message.split('\n')[0]}）`;
}

export function loadPlaybookFile(path: string, baseDir = process.cwd()): LoadResult {
  const file = relative(baseDir, path) || path;
  let source: string;
  try {
    if (statSync(path).size > MAX_BYTES) return { ok: false, errors: [{ file, line: 1, col: 1, path: '', message: '文件太大（超过 1 MB），请拆分' }] };
    source = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, errors: [{ file, line: 1, col: 1, path: '', message: `无法读取文件：${(e as Error).message}` }] };
  }
  return parsePlaybook(source, file, basename(path, extname(path)));
}

export function isPlaybookFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith('.');
}

export interface DirLoad {
  playbooks: Playbook[];
  errors: PlaybookError[];
  /** Of the playbooks that loaded. */
  warnings: PlaybookError[];
  /** Per file: loaded playbook or its errors, for hot reload. */
  files: Map<string, LoadResult>;
}

/** Loads every playbook in `dir`; playbooks sharing an id are reported as errors. */
export function loadPlaybookDir(dir: string, baseDir = process.cwd()): DirLoad {
  const files = new Map<string, LoadResult>();
  let names: string[];
  try {
    names = readdirSync(dir).filter(isPlaybookFile).sort();
  } catch (e) {
    const file = relative(baseDir, dir) || dir;
    return { playbooks: [], errors: [{ file, line: 1, col: 1, path: '', message: `无法读取目录：${(e as Error).message}` }], warnings: [], files };
  }
  for (const name of names) files.set(join(dir, name), loadPlaybookFile(join(dir, name), baseDir));
  return { ...collect(files), files };
}

/** A playbook file on its own, or every playbook in a directory (what `classbot check` takes). */
export function loadPlaybookPath(path: string, baseDir = process.cwd()): DirLoad {
  let single = false;
  try {
    single = statSync(path).isFile();
  } catch {
    // Missing: loadPlaybookDir says so.
  }
  if (!single) return loadPlaybookDir(path, baseDir);
  const files = new Map([[path, loadPlaybookFile(path, baseDir)]]);
  return { ...collect(files), files };
}

/** Splits per-file results into playbooks and errors, rejecting duplicate ids. */
export function collect(files: Map<string, LoadResult>): { playbooks: Playbook[]; errors: PlaybookError[]; warnings: PlaybookError[] } {
  const playbooks: Playbook[] = [];
  const errors: PlaybookError[] = [];
  const warnings: PlaybookError[] = [];
  const seen = new Map<string, string>();
  for (const result of files.values()) {
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const pb = result.playbook;
    const other = seen.get(pb.id);
    if (other) {
      errors.push({ file: pb.file, line: 1, col: 1, path: 'id', message: `与 ${other} 的 id "${pb.id}" 重复，请给每个班级配置不同的 id` });
      continue;
    }
    seen.set(pb.id, pb.file);
    playbooks.push(pb);
    warnings.push(...result.warnings);
  }
  return { playbooks, errors, warnings };
}

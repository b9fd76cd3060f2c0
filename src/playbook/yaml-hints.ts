/**
 * The commonest ways a hand-written playbook breaks YAML, found on the line where they are:
 * a Chinese colon after a field name, full-width spaces, Tabs, and a line indented off its level.
 * The YAML parser reports these late (often on a neighbouring line) and in its own terms.
 */

export interface SourceHint {
  line: number;
  col: number;
  message: string;
}

interface ContentLine {
  /** 1-based. */
  line: number;
  text: string;
  indent: number;
}

/** Lines that carry YAML structure: not blank, comments, block scalar text or flow continuations. */
function structuralLines(source: string): ContentLine[] {
  const out: ContentLine[] = [];
  let scalarParent: number | null = null;
  let flowDepth = 0;
  source.split(/\r?\n/).forEach((text, i) => {
    const indent = /^[ \t\u3000]*/.exec(text)![0].length;
    const body = text.slice(indent);
    if (scalarParent !== null) {
      if (body === '' || indent > scalarParent) return;
      scalarParent = null;
    }
    if (body === '' || body.startsWith('#')) return;
    const continuing = flowDepth > 0;
    flowDepth = Math.max(0, flowDepth + bracketBalance(body));
    if (continuing) return;
    out.push({ line: i + 1, text, indent });
    if (/(?::|^-)\s+[|>][-+]?\d*\s*(?:#.*)?$/.test(body)) scalarParent = indent;
  });
  return out;
}

/** Opening minus closing flow brackets outside quotes and comments. */
function bracketBalance(body: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || body[i - 1] === ' ')) break;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}

/** A field name (ASCII, a weekday or a date) followed by a Chinese colon. */
const CHINESE_COLON_KEY = /^((?:-\s+)*)([A-Za-z_][A-Za-z0-9_-]*|(?:周|週|星期)[日天一二三四五六]|\d{4}-\d{2}-\d{2})\s*：/;

/** Chinese colons, full-width spaces and Tabs where YAML needs ASCII, with where they are. */
export function typoHints(source: string): SourceHint[] {
  const hints: SourceHint[] = [];
  for (const { line, text, indent } of structuralLines(source)) {
    const lead = text.slice(0, indent);
    const tab = lead.indexOf('\t');
    const wide = lead.indexOf('\u3000');
    if (tab >= 0) hints.push({ line, col: tab + 1, message: '这一行用了 Tab 缩进，请改成空格' });
    if (wide >= 0) hints.push({ line, col: wide + 1, message: '这一行开头有全角空格，请改成半角空格' });
    const body = text.slice(indent);
    const colon = CHINESE_COLON_KEY.exec(body);
    if (colon) hints.push({ line, col: indent + colon[0].length, message: `“${colon[2]}”后面是中文冒号“：”，请改成英文冒号加空格（: ）` });
    const wideAfterColon = /^[^"'#]*?:\u3000/.exec(body);
    if (wideAfterColon) hints.push({ line, col: indent + wideAfterColon[0].length, message: '冒号后面是全角空格，请改成半角空格' });
  }
  return hints;
}

interface Level {
  indent: number;
  /** Whether list items (`- `) and fields sit at this level. */
  items: boolean;
  fields: boolean;
}

/** The first line indented off its level: between two levels, deeper where nothing opened a block, or a field among list items. */
export function indentHint(source: string): SourceHint | null {
  const levels: Level[] = [];
  let opened = false;
  for (const { line, text, indent } of structuralLines(source)) {
    if (/^[ ]*[\t\u3000]/.test(text)) return null; // typoHints explains those lines
    const body = text.slice(indent).replace(/\s+#.*$/, '');
    const isItem = /^-(\s|$)/.test(body);
    const top = levels.at(-1);
    if (!top || (opened && indent > top.indent)) levels.push({ indent, items: isItem, fields: !isItem });
    else if (indent > top.indent) {
      return { line, col: 1, message: `缩进不对：这一行缩进了 ${indent} 个空格，比上一行多，但上一行不是以“字段名:”结尾（应缩进 ${top.indent} 个空格，和上一行对齐）` };
    } else {
      let deeper: Level | null = null;
      while (levels.length > 1 && levels.at(-1)!.indent > indent) deeper = levels.pop()!;
      const level = levels.at(-1)!;
      if (level.indent !== indent) {
        const options = [level.indent, ...(deeper ? [deeper.indent] : [])];
        return { line, col: 1, message: `缩进不对：这一行缩进了 ${indent} 个空格，没有和同一层的字段对齐（应缩进 ${options.join(' 或 ')} 个空格）` };
      }
      // `key:` then `- item` at the key's own indent is a list under that key.
      if (isItem && opened) level.items = true;
      else if (!isItem && !level.fields) {
        return { line, col: 1, message: `缩进不对：这一行和上面的列表项（“- ”）对齐了；它若属于上面那一项，应缩进 ${deeper?.indent ?? indent + 2} 个空格` };
      }
    }
    // A list item's own fields are one level further in: `- name: x` then `  role: y`.
    const item = /^(-\s+)+(?=[^\s#])/.exec(body);
    if (item && /^[^"'{[]*?:(\s|$)/.test(body.slice(item[0].length))) levels.push({ indent: indent + item[0].length, items: false, fields: true });
    opened = /:$/.test(body) || /^-$/.test(body);
  }
  return null;
}

import { UserError, formatPath as pathText } from '../errors.ts';

/**
 * Raw JSON checks that must happen before the schema sees a document: a syntax error's line and
 * column (Node 20's JSON.parse often names none), nesting too deep for zod's recursion, and
 * "__proto__" keys (JSON.parse keeps them, but building the validated object drops them silently).
 * Everything here is iterative, so hostile depth costs no stack.
 */
/**
 * Deeper than this, a document is not a strategy. Checked before the schema, which recurses once per
 * level and would otherwise exhaust the stack on a few thousand nested {"not": …}.
 */
export const MAX_DEPTH = 100;


/**
 * Problems the schema does not report, found without recursion: nesting too deep for it, and a
 * "__proto__" key (JSON.parse keeps it as a plain key, but building the validated object drops it
 * silently, so a param or indicator of that name would vanish without a word).
 */
export function rawProblems(value: unknown, file: string): void {
  const stack: Array<{ v: unknown; path: Array<string | number> }> = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_DEPTH) {
      const shown = pathText(path.slice(0, 12));
      throw new UserError(`${file}: ${shown}…: nested more than ${MAX_DEPTH} levels deep; no strategy needs that — flatten the condition`);
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(v)) {
      if (key === '__proto__') throw new UserError(`${file}: ${pathText([...path, key])}: "__proto__" cannot be a name in a spec; rename it`);
      stack.push({ v: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Offset of the first JSON syntax error in `text` (text.length for an early end), or -1 if there is
 * none. Iterative, so nesting depth costs no stack. Node 20's JSON.parse names no position for many
 * errors ("Unexpected token 'o', … is not valid JSON"), and a user needs the line to fix the file.
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  const ws = (): void => { while (i < n && WS.has(text[i]!)) i++; };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = text[i]!;
      if (c === '"') { i++; return true; }
      if (c.charCodeAt(0) < 0x20) return false;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { i += 2; return false; }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else { i++; return false; }
      } else i++;
    }
    return false;
  };
  const key = (): boolean => {
    ws();
    if (!string()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) { stack.pop(); i++; expectValue = false; continue; }
        if (c === '{' && !key()) return i;
        continue;
      }
      if (c === '"') { if (!string()) return i; expectValue = false; continue; }
      let lit = false;
      for (const w of ['true', 'false', 'null']) if (text.startsWith(w, i)) { i += w.length; lit = true; break; }
      if (lit) { expectValue = false; continue; }
      NUMBER.lastIndex = i;
      if (NUMBER.test(text)) { i = NUMBER.lastIndex; expectValue = false; continue; }
      return i;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return i === n ? -1 : i;
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === '{' && !key()) return i;
      expectValue = true;
    } else if (c === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
    } else return i;
  }
}

export function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return `line ${line}, column ${offset - last}`;
}

/** The offset of the first syntax error in `text`, as "line L, column C", or null when it parses. */
export function jsonErrorPosition(text: string): string | null {
  const at = jsonErrorOffset(text);
  return at < 0 ? null : lineCol(text, at);
}

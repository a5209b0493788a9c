/**
 * Plain-text helpers for the console. Every pane is bounded, so text is cut or wrapped here to a
 * known width instead of letting the terminal wrap it. Widths count UTF-16 code units: the console's
 * own glyphs (box drawing, blocks, ✓ ✗ ● ◌) are one column each.
 */

/** Cuts `s` to `width` columns, marking the cut with an ellipsis. */
export function clip(s: string, width: number): string {
  const w = Math.max(0, Math.floor(width));
  if (s.length <= w) return s;
  return w === 0 ? '' : `${s.slice(0, w - 1)}…`;
}

/** Greedy word wrap to `width`; words longer than a line are split. Newlines in `s` start new lines. */
export function wrap(s: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const out: string[] = [];
  for (const para of s.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter((x) => x !== '')) {
      let rest = word;
      while (rest.length > w) {
        if (line !== '') { out.push(line); line = ''; }
        out.push(rest.slice(0, w));
        rest = rest.slice(w);
      }
      if (line === '') line = rest;
      else if (line.length + 1 + rest.length <= w) line += ` ${rest}`;
      else { out.push(line); line = rest; }
    }
    out.push(line);
  }
  return out;
}

/** `filled` of `width` cells drawn as a bar (█ for done, ░ for the rest). */
export function bar(fraction: number, width: number): string {
  const w = Math.max(0, Math.floor(width));
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const n = Math.round(f * w);
  return '█'.repeat(n) + '░'.repeat(w - n);
}

export { plural } from '../core/text.ts';

/** The first `n` hex digits of a hash, with an ellipsis. */
export function short(hash: string, n = 8): string {
  return hash.length <= n ? hash : `${hash.slice(0, n)}…`;
}

/**
 * The text of one string field of a JSON object that is still streaming in (`{"diagnosis": "The edge …`),
 * so a pane can show a model's prose rather than its JSON. null when the field has not started.
 */
export function partialJsonField(json: string, field: string): string | null {
  const m = new RegExp(`"${field}"\\s*:\\s*"`).exec(json);
  if (m === null) return null;
  let out = '';
  for (let i = m.index + m[0].length; i < json.length; i++) {
    const c = json[i]!;
    if (c === '"') break;
    if (c !== '\\') { out += c; continue; }
    const n = json[i + 1];
    if (n === undefined) break;
    i += 1;
    if (n === 'n') out += '\n';
    else if (n === 't') out += ' ';
    else if (n === 'u') {
      const hex = json.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) break;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else out += n;
  }
  return out;
}

/**
 * Who answered, short enough for a pane title: `rules`, or `ollama` for `ollama:<model>@<digest>`
 * (the header names the model and digest once).
 */
export function who(source: string): string {
  return source.startsWith('ollama:') ? 'ollama' : source;
}

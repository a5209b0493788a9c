/**
 * The one sanitiser for text that reaches a terminal or a Markdown file. Model replies, server
 * metadata, file names, idea files, spec fields and CSV cells are all data someone else wrote; a
 * terminal obeys the control codes in them (OSC 52 writes the clipboard, OSC 0 the window title,
 * CSI 6n makes the terminal type into stdin) and bidi overrides make text read differently from
 * what it is. So at each output boundary (the CLI's stdout/stderr, the console's stream, the dossier)
 * every string passes through here:
 * - escape sequences (CSI, OSC, DCS, SOS, PM, APC, two-byte ESC x) are removed whole;
 * - any other C0 control but tab and newline, and DEL, is removed;
 * - C1 controls (U+0080–U+009F), bidi controls and other invisible format characters (Unicode
 *   category Cf: U+202E, U+2066…, zero-width spaces, the BOM) and the line/paragraph separators are
 *   written as a visible `\uXXXX` (removed outright in the console's stream, where width counts);
 * - a carriage return: `\r\n` becomes `\n`; a lone `\r` becomes `\n` on a terminal and a space in
 *   Markdown (where a line break inside a quoted reply would start a new block, e.g. a heading).
 */

/* eslint-disable no-control-regex -- matching control characters is this module's whole job */

// Escape sequences: 7-bit (ESC …) and 8-bit (C1 introducer) forms. Strings (OSC, DCS, SOS, PM, APC)
// end at BEL or ST; an unterminated one runs to the end of the text, so its payload goes too.
const SEQUENCE = new RegExp([
  '\\u001b\\[[0-?]*[ -/]*[@-~]',
  '\\u009b[0-?]*[ -/]*[@-~]',
  '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[\\s\\S]*?(?:\\u0007|\\u009c|\\u001b\\\\|$)',
  '\\u001b[ -/]*[0-~]',
].join('|'), 'g');

// What is left after the sequences: single control and format characters.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;
/** 7-bit sequences only: ESC itself never appears in JSON text (JSON.stringify writes it \u001b). */
const SEQUENCE7 = new RegExp([
  '\\u001b\\[[0-?]*[ -/]*[@-~]',
  '\\u001b[\\]PX^_][\\s\\S]*?(?:\\u0007|\\u001b\\\\|$)',
  '\\u001b[ -/]*[0-~]',
].join('|'), 'g');
/** C0 controls but tab and newline (a lone \r is normalised before), and DEL: removed. */
const C0 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** C1 controls, bidi and other invisible format characters, line/paragraph separators: shown as \uXXXX. */
const INVISIBLE = /[\u0080-\u009f\p{Cf}\u2028\u2029]/gu;
const shown = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Does `s` hold anything the sanitiser would change (fast path: most text is clean)? */
const DIRTY = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;

/**
 * Text for a terminal: escape sequences and C0 controls removed, `\r` normalised to `\n` (tabs and
 * newlines kept); C1 controls and bidi/format characters written as a visible `\uXXXX`. Written so,
 * a character inside a JSON string keeps its value (`--json` output stays exact), and a reader sees
 * that something was there.
 */
export function safeText(s: string): string {
  if (!DIRTY.test(s)) return s;
  return s.replace(SEQUENCE7, '').replace(/\r\n?/g, '\n').replace(C0, '').replace(INVISIBLE, shown);
}

/**
 * Text for a Markdown file the program wrote: as safeText, except that every `\r` left after the
 * `\r\n` pairs becomes a space. The renderer itself only writes `\n`, so a lone `\r` always came from
 * a record and must not end the line it is on.
 */
export function safeMarkdown(s: string): string {
  if (!DIRTY.test(s)) return s;
  return s.replace(SEQUENCE7, '').replace(/\r\n/g, '\n').replace(/\r/g, ' ').replace(C0, '').replace(INVISIBLE, shown);
}

/** Every string inside a JSON-like value passed through safeText (objects and arrays copied). */
export function safeDeep<T>(v: T): T {
  if (typeof v === 'string') return safeText(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => safeDeep(x)) as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [safeText(k), safeDeep(x)])) as T;
  }
  return v;
}

// The control sequences a terminal UI library writes for itself: cursor movement and erasing
// (A–H, J, K, E, F, G, S, T, f), SGR colours (m), private modes such as cursor visibility and
// synchronised output (h, l with ?), and the kitty keyboard protocol (u). Replies that a terminal
// answers on stdin (DSR n, DA c, window reports t) are not among them.
const UI_CSI = /\u001b\[[?<>=]?[0-9;:]*[A-HJKSTfmhlu]/y;
const SEQUENCE_AT = new RegExp(SEQUENCE.source, 'y');

/**
 * A chunk written by the console's renderer, cleaned on its way to the terminal. The renderer keeps
 * SGR and OSC sequences found in the text it draws (hyperlinks, colours), so hostile text could reach
 * the terminal through it; here only the CSI forms the renderer itself writes survive, and everything
 * safeText removes is removed (newlines kept; a lone `\r` dropped, it would overwrite the line).
 */
export function safeTerminalChunk(chunk: string): string {
  if (!DIRTY.test(chunk)) return chunk;
  let out = '';
  let i = 0;
  while (i < chunk.length) {
    const esc = chunk.indexOf('\u001b', i);
    const end = esc === -1 ? chunk.length : esc;
    if (end > i) out += chunk.slice(i, end).replace(SEQUENCE, '').replace(/\r(?!\n)/g, '').replace(CONTROL, '');
    if (esc === -1) break;
    UI_CSI.lastIndex = esc;
    const m = UI_CSI.exec(chunk);
    if (m !== null) {
      out += m[0];
      i = esc + m[0].length;
      continue;
    }
    // Not one of ours: remove the whole sequence if it is one, else the lone ESC.
    SEQUENCE_AT.lastIndex = esc;
    const seq = SEQUENCE_AT.exec(chunk);
    i = esc + (seq === null ? 1 : Math.max(1, seq[0].length));
  }
  return out;
}

const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/** Control and invisible characters inside JSON text written as \u escapes: the same JSON value, nothing for safeMarkdown to change. */
export function escapeInvisible(json: string): string {
  return json.replace(CONTROL_OR_NEWLINE, shown);
}

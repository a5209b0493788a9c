/**
 * What the console's start screen offers: the plain ideas, the bundled example specs and Pine
 * scripts, the strategy-like `.pine` / `.txt` files under the working directory, and reading the
 * chosen one. (The console's wiring is console.ts.)
 */
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { MAX_TEXT_BYTES, readInputText } from '../core/input-file.ts';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.ts';
import type { IdeaChoice } from '../ui/state/types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Plain-language ideas the start screen offers besides the example specs and Pine scripts. */
export const TEXT_IDEAS: ReadonlyArray<{ label: string; text: string }> = [
  { label: 'rsi(14) oversold reversion', text: 'buy when rsi(14) < 30; sell when rsi(14) > 70' },
  { label: 'rsi(2) dips with a stop', text: 'buy when rsi(2) < 10; sell when rsi(2) > 70; stop 5%' },
  { label: 'tunable rsi reversion', text: 'param len = 14 in [2, 30] step 1; param lo = 30 in [10, 40] step 5; buy when rsi($len) < $lo; sell when rsi($len) > 70' },
  { label: 'bollinger band reversion', text: 'buy when close < bb(20, 2).lower; sell when close > bb(20, 2).middle' },
  { label: 'sma(10/50) crossover', text: 'buy when sma(10) crosses above sma(50); sell when sma(10) crosses below sma(50)' },
];

/** The first `bytes` of a file as text (an idea's first line, without reading a large file). */
function head(path: string, bytes = 400): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO must not hang the start screen
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function pineAbout(text: string): string {
  return /strategy\(\s*"([^"]*)"/.exec(text)?.[1] ?? text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('//@'))?.trim() ?? '';
}

/** The start screen's examples: the bundled spec files, the translatable Pine fixtures, and a few plain ideas. */
export function exampleIdeas(root = ROOT): IdeaChoice[] {
  const out: IdeaChoice[] = TEXT_IDEAS.map((t) => ({ label: t.label, kind: 'text', text: t.text, about: t.text }));
  const specs = join(root, 'specs');
  if (existsSync(specs)) {
    for (const f of readdirSync(specs).filter((x) => x.endsWith('.json')).sort()) {
      let about = '';
      try { about = String((JSON.parse(readFileSync(join(specs, f), 'utf8')) as { idea?: unknown }).idea ?? ''); } catch { about = '(not readable JSON)'; }
      out.push({ label: f.replace(/\.json$/, ''), kind: 'spec', path: join(specs, f), about });
    }
  }
  const pine = join(root, 'test', 'agents', 'fixtures', 'pine');
  if (existsSync(pine)) {
    for (const f of readdirSync(pine).filter((x) => x.endsWith('.pine') && !x.includes('REFUSE')).sort()) {
      out.push({ label: f.replace(/\.pine$/, ''), kind: 'pine', path: join(pine, f), about: pineAbout(head(join(pine, f))) });
    }
  }
  return out;
}

// Vendored code, build output, bundled data and test fixtures are not the user's ideas.
const SKIP_DIRS = new Set(['node_modules', '.git', '.gauntlet', 'dist', 'coverage', 'data', 'fixtures']);

/**
 * Does a file's beginning look like a strategy? A Pine script declares `strategy(`; a text idea uses the
 * rule language's verbs or speaks of entries and exits. A README, a provenance note or a word list does not.
 */
export function looksLikeStrategy(name: string, head: string): boolean {
  if (/\.pine$/i.test(name)) return /\bstrategy\s*\(/.test(head);
  return /\b(buy|sell|short|cover|long|entry|entries|exit|exits|enter)\b/i.test(head);
}

/** `.pine` and `.txt` files under `dir` (depth ≤ 4, at most `limit`, 2,000 directories read at most), for the file picker. */
export function ideaFiles(dir: string, limit = 200): IdeaChoice[] {
  const out: IdeaChoice[] = [];
  // A console started in a large tree (a home directory) must still open at once.
  let dirsLeft = 2000;
  const walk = (d: string, depth: number): void => {
    if (out.length >= limit || dirsLeft <= 0) return;
    dirsLeft -= 1;
    let names: string[];
    try { names = readdirSync(d).sort(); } catch { return; }
    for (const name of names) {
      if (out.length >= limit) return;
      const p = join(d, name);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) {
        if (depth < 4 && !SKIP_DIRS.has(name) && !name.startsWith('.')) walk(p, depth + 1);
      } else if (/\.(pine|txt)$/i.test(name) && st.size > 0) {
        let text: string | null = null;
        try { text = head(p); } catch { text = null; }
        if (text !== null && !looksLikeStrategy(name, text)) continue;
        const about = text === null ? '(not readable)' : name.endsWith('.pine') ? pineAbout(text) : (text.split('\n')[0] ?? '').trim();
        out.push({ label: relative(dir, p), kind: 'file', path: p, about });
      }
    }
  };
  walk(dir, 0);
  return out;
}

/** The idea text of a choice: its text, or its file read (a clear error when it cannot be). */
export function ideaText(choice: IdeaChoice, cwd: string): string {
  if (choice.text !== undefined) {
    if (choice.text.trim() === '') throw new UserError('the idea is empty');
    return choice.text;
  }
  const path = resolve(cwd, choice.path ?? '');
  if (!existsSync(path) || statSync(path).isDirectory()) throw new UserError(`${choice.path}: no such file`);
  const text = readInputText(path, choice.path ?? path, MAX_TEXT_BYTES, 'idea');
  if (text.trim() === '') throw new UserError(`${choice.path}: the file is empty`);
  return text;
}

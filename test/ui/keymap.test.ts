import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { KEYMAP, commandFor, helpSections, hints, matches, type Scope } from '../../src/ui/keymap.ts';
import { activeScope } from '../../src/ui/state/scope.ts';
import type { Focus } from '../../src/ui/state/types.ts';
import { ROOT } from '../research/helpers.ts';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false,
  capsLock: false, numLock: false,
} as Key;
const key = (k: Partial<Key> = {}): Key => ({ ...NO_KEY, ...k });

/** Every key name of the map as (input, key) the way Ink reports it. */
function press(name: string): [string, Key] {
  switch (name) {
    case 'ctrl+c': return ['c', key({ ctrl: true })];
    case 'ctrl+u': return ['u', key({ ctrl: true })];
    case 'up': return ['', key({ upArrow: true })];
    case 'down': return ['', key({ downArrow: true })];
    case 'left': return ['', key({ leftArrow: true })];
    case 'right': return ['', key({ rightArrow: true })];
    case 'pgup': return ['', key({ pageUp: true })];
    case 'pgdn': return ['', key({ pageDown: true })];
    case 'enter': return ['', key({ return: true })];
    case 'esc': return ['', key({ escape: true, meta: true })];
    case 'tab': return ['', key({ tab: true })];
    case 'shift+tab': return ['', key({ tab: true, shift: true })];
    case '1-9': return ['7', key()];
    default: return [name, key()];
  }
}

const SCOPES: Scope[] = ['always', 'global', 'help', 'start', 'idea', 'console', 'confirm', 'note', 'browser'];

describe('the key map', () => {
  it('gives each key one meaning per scope, and resolves every binding to its command', () => {
    for (const scope of SCOPES) {
      const bindings = KEYMAP.filter((b) => b.scope === scope);
      const names = bindings.flatMap((b) => b.keys);
      expect(new Set(names).size, `${scope}: ${names.join(' ')}`).toBe(names.length);
      for (const b of bindings) for (const k of b.keys) expect(commandFor(scope, ...press(k))).toBe(b.command);
    }
  });

  it('tells keys apart as Ink reports them', () => {
    expect(matches('tab', ...press('shift+tab'))).toBe(false);
    expect(matches('a', 'a', key({ ctrl: true }))).toBe(false);
    expect(matches('1-9', '0', key())).toBe(false);
    expect(commandFor('console', 'x', key())).toBeNull();
    expect(commandFor('console', 'a', key())).toBe('approve');
    expect(commandFor('note', 'a', key())).toBeNull(); // typing a note is not approving
  });

  it('has one active scope for every focus, the help overlay above all', () => {
    const expected: Record<Focus, Scope> = { examples: 'start', files: 'start', idea: 'idea', console: 'console', note: 'note', confirm: 'confirm', browser: 'browser' };
    for (const [focus, scope] of Object.entries(expected) as Array<[Focus, Scope]>) {
      expect(activeScope({ focus, help: false })).toBe(scope);
      expect(activeScope({ focus, help: true })).toBe('help');
    }
  });

  it('asks before a kill, closes a browser on q, clears a text box with Ctrl-U', () => {
    expect(commandFor('console', 'k', key())).toBe('kill');
    expect(commandFor('confirm', 'y', key())).toBe('confirm-kill');
    expect(commandFor('confirm', 'n', key())).toBe('cancel-kill');
    expect(commandFor('confirm', 'k', key())).toBeNull();
    expect(commandFor('browser', 'q', key())).toBe('back');
    expect(commandFor('idea', 'u', key({ ctrl: true }))).toBe('clear-text');
    // The browser's hints do not offer q as quit, since q closes it there.
    expect(hints('browser', { only: ['next-tab', 'back'], withGlobal: true })).toBe('[Tab] next browser  [Esc] back  [?] keys');
  });

  it('keeps quit and help in the key bar of a narrow terminal, dropping the scope\'s own hints from the end', () => {
    const all = ['approve', 'veto', 'veto-note', 'kill', 'pause', 'zoom', 'browse'] as const;
    const full = hints('console', { only: all, withGlobal: true });
    expect(full).toBe('[a] approve  [v] veto  [n] veto + note  [k] kill  [p] pause  [1-9] zoom  [b] browse  [q] quit  [?] keys');
    // 91 characters in full; at 80 the zoom and browse hints go (79 left).
    expect(hints('console', { only: all, withGlobal: true, width: 80 })).toBe('[a] approve  [v] veto  [n] veto + note  [k] kill  [p] pause  [q] quit  [?] keys');
    expect(hints('console', { only: all, withGlobal: true, width: 41 })).toBe('[a] approve  [v] veto  [q] quit  [?] keys'); // exactly 41
  });

  it('generates the hints and the help from the map: every binding appears in the help once', () => {
    expect(hints('note')).toBe('[Enter] send the veto  [Esc] cancel');
    expect(hints('console', { only: ['approve', 'kill'], withGlobal: true })).toBe('[a] approve  [k] kill  [q] quit  [?] keys');
    // While paused the pause key resumes, and its hint says so.
    expect(hints('console', { only: ['pause', 'kill'], renamed: { pause: 'resume' } })).toBe('[k] kill  [p] resume');
    const rows = helpSections().flatMap((s) => s.rows.map((r) => `${s.scope}:${r.keys}:${r.help}`));
    expect(rows).toHaveLength(KEYMAP.length);
    expect(new Set(rows).size).toBe(KEYMAP.length);
  });
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('UI habits (reference/style.md), checked on the source', () => {
  const files = sources(join(ROOT, 'src/ui')).map((p) => ({ p: p.slice(ROOT.length), text: readFileSync(p, 'utf8') }));

  it('one key owner: the console key hook, plus the text box that only types (and only while active)', () => {
    const users = files.filter((f) => /\buseInput\(/.test(f.text)).map((f) => f.p).sort();
    expect(users).toEqual(['src/ui/components/TextInput.tsx', 'src/ui/useConsoleKeys.ts']);
    expect(files.find((f) => f.p === 'src/ui/components/TextInput.tsx')!.text).toMatch(/useInput\([\s\S]*\{ isActive: active \}\)/);
    // The active scope is computed in one place.
    expect(files.filter((f) => /focus === 'idea' \|\| focus === 'note'|typing = /.test(f.text)).map((f) => f.p)).toEqual([]);
  });

  it('state changes only through the store\'s named actions; nothing logs to the console', () => {
    expect(files.filter((f) => /\bsetState\(/.test(f.text)).map((f) => f.p)).toEqual([]);
    expect(files.filter((f) => /console\.(log|error|warn)\(/.test(f.text)).map((f) => f.p)).toEqual([]);
  });
});

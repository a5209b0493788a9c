import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { KEYMAP, commandFor, helpSections, hints, matches, type Scope } from '../../src/ui/keymap.ts';
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

const SCOPES: Scope[] = ['always', 'global', 'help', 'start', 'idea', 'console', 'note', 'browser'];

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

  it('every useInput goes through useKeys, which always passes isActive', () => {
    const users = files.filter((f) => /\buseInput\(/.test(f.text)).map((f) => f.p);
    expect(users).toEqual(['src/ui/useKeys.ts']);
    expect(files.find((f) => f.p === 'src/ui/useKeys.ts')!.text).toMatch(/useInput\([\s\S]*\{ isActive \}\)/);
  });

  it('state changes only through the store\'s named actions; nothing logs to the console', () => {
    expect(files.filter((f) => /\bsetState\(/.test(f.text)).map((f) => f.p)).toEqual([]);
    expect(files.filter((f) => /console\.(log|error|warn)\(/.test(f.text)).map((f) => f.p)).toEqual([]);
  });
});

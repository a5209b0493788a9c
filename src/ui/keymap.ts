import type { Key } from 'ink';

/**
 * The console's one key map: every shortcut is declared here, the help overlay and the key hints
 * are generated from it, and the console's one key hook (useConsoleKeys) resolves each key
 * through `commandFor` for the scope that is active (state/scope.ts), then `global`, then `always`.
 */

/** Who owns a key: exactly one scope is active at a time (activeScope); `global` and `always` sit below it. */
export type Scope = 'always' | 'global' | 'help' | 'start' | 'idea' | 'console' | 'confirm' | 'note' | 'browser';

export type Command =
  | 'quit' | 'help' | 'close-help'
  | 'move-up' | 'move-down' | 'page-up' | 'page-down' | 'next-section' | 'prev-section' | 'choose'
  | 'submit' | 'leave'
  | 'approve' | 'veto' | 'veto-note' | 'kill' | 'pause' | 'zoom' | 'unzoom' | 'browse' | 'new-idea'
  | 'send-note' | 'cancel-note' | 'clear-text' | 'confirm-kill' | 'cancel-kill'
  | 'next-tab' | 'prev-tab' | 'verify' | 'toggle-diff' | 'export' | 'back';

/** A key: a printable character (`a`, `?`), `ctrl+c`, or a named key (`up`, `enter`, `esc`, `tab`, `shift+tab`, `pgup`, `pgdn`, `1-9`). */
export type KeyName = string;

export interface Binding {
  scope: Scope;
  command: Command;
  keys: readonly KeyName[];
  /** Short label for the key hints line; omitted bindings are only in the help overlay. */
  hint?: string;
  help: string;
}

export const SCOPE_TITLES: Record<Scope, string> = {
  always: 'Anywhere',
  global: 'Anywhere outside a text box',
  help: 'This help',
  start: 'Start screen',
  idea: 'Idea box',
  console: 'Research console',
  confirm: 'Kill confirmation',
  note: 'Veto note',
  browser: 'Browsers',
};

export const KEYMAP: readonly Binding[] = [
  { scope: 'always', command: 'quit', keys: ['ctrl+c'], help: 'quit, like q' },
  { scope: 'global', command: 'quit', keys: ['q'], hint: 'quit', help: 'quit: a running session is SUSPENDED at its next proposal (the proposal stays unanswered); gauntlet resume ID continues it' },
  { scope: 'global', command: 'help', keys: ['?'], hint: 'keys', help: 'show or hide this help' },
  { scope: 'help', command: 'close-help', keys: ['esc', 'enter'], help: 'close the help' },
  { scope: 'help', command: 'page-down', keys: ['pgdn', 'down', 'j'], help: 'scroll the help down, when it does not fit' },
  { scope: 'help', command: 'page-up', keys: ['pgup', 'up', 'k'], help: 'scroll the help up' },

  { scope: 'start', command: 'move-up', keys: ['up', 'k'], help: 'previous entry' },
  { scope: 'start', command: 'move-down', keys: ['down', 'j'], help: 'next entry' },
  { scope: 'start', command: 'page-up', keys: ['pgup'], help: 'a page up' },
  { scope: 'start', command: 'page-down', keys: ['pgdn'], help: 'a page down' },
  { scope: 'start', command: 'next-section', keys: ['tab'], hint: 'next section', help: 'next section: examples → your idea → files' },
  { scope: 'start', command: 'prev-section', keys: ['shift+tab'], help: 'previous section' },
  { scope: 'start', command: 'choose', keys: ['enter'], hint: 'research it', help: 'research the highlighted idea or file' },
  { scope: 'idea', command: 'submit', keys: ['enter'], hint: 'research it', help: 'research the idea you typed' },
  { scope: 'idea', command: 'next-section', keys: ['tab'], hint: 'next section', help: 'next section' },
  { scope: 'idea', command: 'prev-section', keys: ['shift+tab'], help: 'previous section' },
  { scope: 'idea', command: 'leave', keys: ['esc'], hint: 'leave the box', help: 'leave the idea box (back to the examples)' },
  { scope: 'idea', command: 'clear-text', keys: ['ctrl+u'], help: 'clear the box' },

  { scope: 'console', command: 'approve', keys: ['a'], hint: 'approve', help: 'approve the waiting proposal: its credits are spent and the step runs' },
  { scope: 'console', command: 'veto', keys: ['v'], hint: 'veto', help: 'veto the waiting proposal: nothing is spent, the Director offers something else' },
  { scope: 'console', command: 'veto-note', keys: ['n'], hint: 'veto + note', help: 'veto with a note: the note goes back to the Director with the next round' },
  { scope: 'console', command: 'kill', keys: ['k'], hint: 'kill', help: 'kill the strategy (status KILLED, final): asks first; works at any time' },
  { scope: 'console', command: 'pause', keys: ['p'], hint: 'pause', help: 'pause / resume: the loop stops between steps and no proposal is answered' },
  { scope: 'console', command: 'zoom', keys: ['1-9'], hint: 'zoom', help: 'zoom a stage pane to the whole screen (1 idea … 9 decision)' },
  { scope: 'console', command: 'unzoom', keys: ['0', 'esc'], help: 'back to all panes' },
  { scope: 'console', command: 'browse', keys: ['b'], hint: 'browse', help: 'browsers: specs, runs, ledger, candidate library' },
  { scope: 'console', command: 'new-idea', keys: ['i'], hint: 'new idea', help: 'a new idea, once the session has ended' },
  { scope: 'note', command: 'send-note', keys: ['enter'], hint: 'send the veto', help: 'veto with the note you typed' },
  { scope: 'note', command: 'cancel-note', keys: ['esc'], hint: 'cancel', help: 'back to the proposal, nothing decided' },
  { scope: 'note', command: 'clear-text', keys: ['ctrl+u'], help: 'clear the note' },
  { scope: 'confirm', command: 'confirm-kill', keys: ['y'], hint: 'yes, kill it', help: 'kill the strategy: KILLED is final' },
  { scope: 'confirm', command: 'cancel-kill', keys: ['n', 'esc'], hint: 'no', help: 'keep the session going, nothing decided' },

  { scope: 'browser', command: 'next-tab', keys: ['tab', 'right'], hint: 'next browser', help: 'next browser' },
  { scope: 'browser', command: 'prev-tab', keys: ['shift+tab', 'left'], help: 'previous browser' },
  { scope: 'browser', command: 'move-up', keys: ['up', 'k'], help: 'previous entry' },
  { scope: 'browser', command: 'move-down', keys: ['down', 'j'], hint: 'move', help: 'next entry' },
  { scope: 'browser', command: 'page-up', keys: ['pgup'], help: 'a page up (runs: the trade list)' },
  { scope: 'browser', command: 'page-down', keys: ['pgdn'], help: 'a page down (runs: the trade list)' },
  { scope: 'browser', command: 'toggle-diff', keys: ['d'], hint: 'diff', help: 'specs: the version\'s diff against its parent, or its detail' },
  { scope: 'browser', command: 'verify', keys: ['v'], hint: 'verify', help: 'ledger: verify the hash chain, the balances and the head' },
  { scope: 'browser', command: 'export', keys: ['x'], hint: 'export', help: 'specs, library: write the strategy\'s Markdown dossier to the working directory' },
  { scope: 'browser', command: 'back', keys: ['esc', 'q', 'b'], hint: 'back', help: 'close the browser (back to the console or the start screen)' },
];

/** Does the key event (ink's `input`, `key`) match a key name of the map? */
export function matches(name: KeyName, input: string, key: Key): boolean {
  switch (name) {
    case 'ctrl+c': return key.ctrl && input === 'c';
    case 'ctrl+u': return key.ctrl && input === 'u';
    case 'up': return key.upArrow;
    case 'down': return key.downArrow;
    case 'left': return key.leftArrow;
    case 'right': return key.rightArrow;
    case 'pgup': return key.pageUp;
    case 'pgdn': return key.pageDown;
    case 'enter': return key.return;
    case 'esc': return key.escape;
    case 'tab': return key.tab && !key.shift;
    case 'shift+tab': return key.tab && key.shift;
    case '1-9': return !key.ctrl && !key.meta && /^[1-9]$/.test(input);
    default: return !key.ctrl && !key.meta && input === name;
  }
}

/** The command a key means in `scope`, or null. */
export function commandFor(scope: Scope, input: string, key: Key): Command | null {
  for (const b of KEYMAP) {
    if (b.scope === scope && b.keys.some((k) => matches(k, input, key))) return b.command;
  }
  return null;
}

const KEY_LABELS: Record<string, string> = { 'ctrl+u': 'Ctrl-U', up: '↑', down: '↓', left: '←', right: '→', pgup: 'PgUp', pgdn: 'PgDn', enter: 'Enter', esc: 'Esc', tab: 'Tab', 'shift+tab': 'Shift-Tab', 'ctrl+c': 'Ctrl-C' };

export function keyLabel(name: KeyName): string {
  return KEY_LABELS[name] ?? name;
}

/**
 * `[a] approve  [v] veto …` for a scope (and the global keys when `withGlobal`, except a key the
 * scope binds itself: `q` closes a browser), from the map. `renamed`: a hint that depends on the
 * state (the pause key resumes while paused). `width`: the scope's own hints are dropped from the
 * end until the line fits, so quit and help stay on a narrow terminal.
 */
export function hints(scope: Scope, opts: { only?: readonly Command[]; withGlobal?: boolean; renamed?: Partial<Record<Command, string>>; width?: number } = {}): string {
  const own = KEYMAP.filter((b) => b.scope === scope && b.hint !== undefined && (opts.only === undefined || opts.only.includes(b.command)));
  const taken = new Set(KEYMAP.filter((b) => b.scope === scope).flatMap((b) => b.keys));
  const global = opts.withGlobal === true ? KEYMAP.filter((b) => b.scope === 'global' && b.hint !== undefined && !taken.has(b.keys[0]!)) : [];
  const text = (bs: readonly Binding[]): string => bs.map((b) => `[${keyLabel(b.keys[0]!)}] ${opts.renamed?.[b.command] ?? b.hint}`).join('  ');
  const mine = [...own];
  while (opts.width !== undefined && mine.length > 0 && text([...mine, ...global]).length > opts.width) mine.pop();
  return text([...mine, ...global]);
}

/** The help overlay's sections, in map order. */
export function helpSections(): Array<{ scope: Scope; title: string; rows: Array<{ keys: string; help: string }> }> {
  const order: Scope[] = ['console', 'confirm', 'note', 'start', 'idea', 'browser', 'global', 'always', 'help'];
  return order.map((scope) => ({
    scope,
    title: SCOPE_TITLES[scope],
    rows: KEYMAP.filter((b) => b.scope === scope).map((b) => ({ keys: b.keys.map(keyLabel).join(' '), help: b.help })),
  }));
}

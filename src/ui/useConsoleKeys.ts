import { useInput } from 'ink';
import { commandFor, type Command, type Scope } from './keymap.ts';
import type { PaneId } from './layout.ts';
import { activeScope, isTextScope } from './state/scope.ts';
import type { ConsoleActions, ConsoleState } from './state/store.ts';

/** Zoom keys follow the stage numbers (1 idea and 2 translator share a pane). */
const ZOOM: Record<string, PaneId> = { 1: 'translator', 2: 'translator', 3: 'spec', 4: 'compiler', 5: 'director', 6: 'engine', 7: 'gates', 8: 'reviewer', 9: 'decision' };

export interface KeyContext {
  /** Rows a page key moves on the start screen's lists and in the browsers: what is visible now. */
  page: { start: number; browser: number; help: number };
  quit(): void;
}

/**
 * The console's one key owner: each key is resolved in the active scope (activeScope), then among
 * the keys that work anywhere outside a text box (`global`), then anywhere (`always`), and runs
 * exactly one action. Text boxes only add the characters typed (TextInput), never a command.
 */
export function useConsoleKeys(getState: () => ConsoleState, ctx: KeyContext): void {
  useInput((input, key) => {
    const s = getState();
    const scope = activeScope(s);
    const own = commandFor(scope, input, key);
    const below = own === null && !isTextScope(scope) ? commandFor('global', input, key) : null;
    const always = own === null && below === null ? commandFor('always', input, key) : null;
    const c = own ?? below ?? always;
    if (c === null) return;
    run(own !== null ? scope : below !== null ? 'global' : 'always', c, input, s.actions, ctx);
  });
}

/** What a command does in its scope: the dispatch table of the key map. */
export function run(scope: Scope, c: Command, input: string, a: ConsoleActions, ctx: KeyContext): void {
  switch (c) {
    case 'quit': ctx.quit(); return;
    case 'help': case 'close-help': a.toggleHelp(); return;
    case 'move-up': if (scope === 'browser') a.browserMove(-1); else a.move(-1); return;
    case 'move-down': if (scope === 'browser') a.browserMove(1); else a.move(1); return;
    case 'page-up': if (scope === 'help') a.helpScroll(-ctx.page.help); else if (scope === 'browser') a.browserPage(-1, ctx.page.browser); else a.move(-ctx.page.start); return;
    case 'page-down': if (scope === 'help') a.helpScroll(ctx.page.help); else if (scope === 'browser') a.browserPage(1, ctx.page.browser); else a.move(ctx.page.start); return;
    case 'next-section': a.section(1); return;
    case 'prev-section': a.section(-1); return;
    case 'choose': a.choose(); return;
    case 'submit': a.submitDraft(); return;
    case 'leave': a.leaveIdea(); return;
    case 'clear-text': if (scope === 'note') a.editNote(''); else a.editDraft(''); return;
    case 'approve': a.approve(); return;
    case 'veto': a.veto(); return;
    case 'veto-note': a.startNote(); return;
    case 'kill': a.kill(); return;
    case 'confirm-kill': a.confirmKill(); return;
    case 'cancel-kill': a.cancelKill(); return;
    case 'pause': a.togglePause(); return;
    case 'zoom': a.zoom(ZOOM[input] ?? null); return;
    case 'unzoom': a.zoom(null); return;
    case 'browse': a.openBrowser(); return;
    case 'new-idea': a.newIdea(); return;
    case 'send-note': a.sendNote(); return;
    case 'cancel-note': a.cancelNote(); return;
    case 'next-tab': a.browserTab(1); return;
    case 'prev-tab': a.browserTab(-1); return;
    case 'verify': a.verifyLedger(); return;
    case 'toggle-diff': a.toggleDiff(); return;
    case 'export': a.exportDossier(); return;
    case 'back': a.closeBrowser(); return;
  }
}

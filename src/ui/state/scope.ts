import type { Scope } from '../keymap.ts';
import type { ConsoleData } from './types.ts';

/**
 * The one answer to "who owns the keys now": the help overlay while it is up, otherwise the focus.
 * The key hook, the text boxes and the key hints all ask this, so no two of them can disagree.
 */
export function activeScope(s: Pick<ConsoleData, 'help' | 'focus'>): Scope {
  if (s.help) return 'help';
  switch (s.focus) {
    case 'examples': case 'files': return 'start';
    case 'idea': return 'idea';
    case 'note': return 'note';
    case 'confirm': return 'confirm';
    case 'browser': return 'browser';
    case 'console': return 'console';
  }
}

/** Scopes where printable keys are text: `q` and `?` type themselves there instead of quitting. */
export function isTextScope(scope: Scope): boolean {
  return scope === 'idea' || scope === 'note';
}

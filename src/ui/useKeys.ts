import { useInput, type Key } from 'ink';
import { commandFor, type Command, type Scope } from './keymap.ts';

/**
 * A component's keys: resolves each key through the one key map for `scope` and hands the
 * command to `onCommand`; keys the map does not know go to `onOther` (a text box's typing).
 * Only the focused owner passes `isActive`, so a key reaches one handler.
 */
export function useKeys(scope: Scope, isActive: boolean, onCommand: (c: Command, input: string) => void, onOther?: (input: string, key: Key) => void): void {
  useInput((input, key) => {
    const c = commandFor(scope, input, key);
    if (c !== null) onCommand(c, input);
    else onOther?.(input, key);
  }, { isActive });
}

import type { FC } from 'react';
import { Text, useInput } from 'ink';
import { commandFor } from '../keymap.ts';
import { Tone } from './Tone.tsx';

export interface TextInputProps {
  scope: 'idea' | 'note';
  value: string;
  active: boolean;
  width: number;
  placeholder?: string;
  onChange(value: string): void;
}

/** Printable text of a key press or a paste: control characters out, line breaks as spaces. */
export function typed(input: string): string {
  return [...input.replace(/[\r\n\t]+/g, ' ')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
}

/**
 * A one-line text box; the tail stays visible when the text is longer than the box. It only types:
 * a key the map binds in its scope (Enter, Esc, Ctrl-U …) is the console key hook's (useConsoleKeys).
 */
export const TextInput: FC<TextInputProps> = ({ scope, value, active, width, placeholder, onChange }) => {
  useInput((input, key) => {
    if (commandFor(scope, input, key) !== null || (key.ctrl && input === 'c')) return;
    if (key.backspace || key.delete) onChange(value.slice(0, -1));
    else if (!key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.pageUp && !key.pageDown) {
      const t = typed(input);
      if (t !== '') onChange(value + t);
    }
  }, { isActive: active });
  const room = Math.max(1, width - 3);
  const shown = value.length >= room ? `…${value.slice(value.length - room + 2)}` : value;
  return (
    <Text wrap="truncate">
      {'> '}
      {value === '' && !active && placeholder !== undefined ? <Tone dim>{placeholder.slice(0, room)}</Tone> : shown}
      {active ? <Tone inverse> </Tone> : ''}
    </Text>
  );
};

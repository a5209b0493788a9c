import type { FC } from 'react';
import { Text } from 'ink';
import type { Command } from '../keymap.ts';
import { useKeys } from '../useKeys.ts';
import { Tone } from './Tone.tsx';

export interface TextInputProps {
  scope: 'idea' | 'note';
  value: string;
  active: boolean;
  width: number;
  placeholder?: string;
  onChange(value: string): void;
  onCommand(c: Command): void;
}

/** Printable text of a key press or a paste: control characters out, line breaks as spaces. */
export function typed(input: string): string {
  return [...input.replace(/[\r\n\t]+/g, ' ')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
}

/** A one-line text box; the tail stays visible when the text is longer than the box. */
export const TextInput: FC<TextInputProps> = ({ scope, value, active, width, placeholder, onChange, onCommand }) => {
  useKeys(scope, active, (c) => onCommand(c), (input, key) => {
    if (key.backspace || key.delete) onChange(value.slice(0, -1));
    else if (key.ctrl && input === 'u') onChange('');
    else if (!key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.pageUp && !key.pageDown) {
      const t = typed(input);
      if (t !== '') onChange(value + t);
    }
  });
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

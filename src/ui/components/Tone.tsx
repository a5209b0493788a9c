import type { FC, ReactNode } from 'react';
import { Text } from 'ink';
import { useColor } from '../useConsole.ts';

export interface ToneProps {
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  children: ReactNode;
}

/** Text with styling only when colour is allowed (NO_COLOR unset): with NO_COLOR it is plain text. */
export const Tone: FC<ToneProps> = ({ color, bold, dim, inverse, children }) => {
  const allowed = useColor();
  if (!allowed) return <Text>{children}</Text>;
  return <Text color={color} bold={bold} dimColor={dim} inverse={inverse}>{children}</Text>;
};

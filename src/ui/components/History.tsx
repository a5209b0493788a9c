import type { FC } from 'react';
import { Box, Static, Text } from 'ink';
import { useConsole } from '../useConsole.ts';
import { clip } from '../text.ts';

/** Finished iterations, printed once above the live region (they scroll away with the terminal). */
export const History: FC<{ width: number }> = ({ width }) => {
  const items = useConsole((s) => s.history);
  return (
    <Static items={items}>
      {(item) => (
        <Box key={item.id} flexDirection="column">
          {item.lines.map((l, i) => <Text key={i} wrap="truncate">{clip(l, width)}</Text>)}
        </Box>
      )}
    </Static>
  );
};

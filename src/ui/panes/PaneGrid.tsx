import type { FC } from 'react';
import { Box } from 'ink';
import type { ConsoleLayout, PaneId } from '../layout.ts';
import { WrapLines } from '../components/Pane.tsx';
import { CompilerPane } from './CompilerPane.tsx';
import { DecisionPane } from './DecisionPane.tsx';
import { DirectorPane } from './DirectorPane.tsx';
import { EnginePane } from './EnginePane.tsx';
import { GatesPane } from './GatesPane.tsx';
import { ReviewerPane } from './ReviewerPane.tsx';
import type { PaneSize } from './size.ts';
import { SpecPane } from './SpecPane.tsx';
import { TranslatorPane } from './TranslatorPane.tsx';

export const PANE_COMPONENTS: Record<PaneId, FC<PaneSize>> = {
  translator: TranslatorPane, spec: SpecPane, compiler: CompilerPane, director: DirectorPane,
  engine: EnginePane, gates: GatesPane, reviewer: ReviewerPane, decision: DecisionPane,
};

/** The eight stage panes in a grid (or one of them zoomed to the whole area). */
export const PaneGrid: FC<{ layout: ConsoleLayout; zoom: PaneId | null }> = ({ layout, zoom }) => {
  if (zoom !== null) {
    const Zoomed = PANE_COMPONENTS[zoom];
    return <WrapLines.Provider value><Zoomed width={layout.columns} height={layout.areaHeight} /></WrapLines.Provider>;
  }
  return (
    <Box flexDirection="column" height={layout.areaHeight}>
      {layout.grid.map((row) => (
        <Box key={row.panes.join('-')} flexDirection="row" columnGap={1} height={row.height}>
          {row.panes.map((id, i) => {
            const P = PANE_COMPONENTS[id];
            return <P key={id} width={row.widths[i]!} height={row.height} />;
          })}
        </Box>
      ))}
    </Box>
  );
};

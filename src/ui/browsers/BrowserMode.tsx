import type { FC } from 'react';
import { Box, Text } from 'ink';
import { LedgerBrowser } from './ledger-browser.tsx';
import { LibraryBrowser } from './library-browser.tsx';
import { RunBrowser, runLayout } from './run-browser.tsx';
import { SpecBrowser } from './spec-browser.tsx';
import { Segments, type Segment } from '../components/Segments.tsx';
import { hints } from '../keymap.ts';
import { BROWSER_TABS, tabLength, type BrowserState, type BrowserTab } from '../state/browser.ts';
import { useConsole } from '../useConsole.ts';

const TAB_TITLE: Record<BrowserTab, string> = { specs: 'Specs', runs: 'Runs', ledger: 'Ledger', library: 'Library' };

const bodyRows = (height: number): number => Math.max(1, height - 3);

/** What a page key moves in the browser at `height`: the rows its list (the runs browser: its trade list) shows. */
export function browserPageRows(b: BrowserState, height: number): number {
  const h = bodyRows(height);
  const n = tabLength(b);
  switch (b.tab) {
    case 'runs': return runLayout(h, n).tradeRows;
    case 'ledger': return Math.max(1, h - 2 - 3);
    case 'library': return Math.min(Math.max(1, n), Math.max(1, Math.floor((h - 1) / 2)));
    case 'specs': return Math.min(Math.max(1, n), Math.max(1, Math.floor((h - 1) * 0.45)));
  }
}

/** The browsers (specs, runs, ledger, library) over a snapshot of the store; their keys are in useConsoleKeys. */
export const BrowserMode: FC<{ width: number; height: number }> = ({ width, height }) => {
  const b = useConsole((s) => s.browser);
  const color = useConsole((s) => s.settings.color);
  const tabs: Segment[] = BROWSER_TABS.flatMap((t, i) => [
    { text: i === 0 ? '' : '  ' },
    { text: `${t === b.tab ? '[' : ' '}${TAB_TITLE[t]}${t === b.tab ? ']' : ' '}`, bold: t === b.tab, color: t === b.tab ? 'cyan' : undefined },
  ]);
  const body = bodyRows(height);
  const d = b.data;
  let view;
  if (d === null) view = <Text>{b.message ?? 'reading the store…'}</Text>;
  else if (b.tab === 'specs') view = <SpecBrowser rows={d.specs} cursor={b.cursor.specs} showDiff={b.showDiff} width={width} height={body} color={color} />;
  else if (b.tab === 'runs') view = <RunBrowser runs={d.runs} cursor={b.cursor.runs} detail={b.detail} tradeOffset={b.tradeOffset} width={width} height={body} color={color} />;
  else if (b.tab === 'ledger') view = <LedgerBrowser entries={d.ledger} cursor={b.cursor.ledger} verify={b.verify} width={width} height={body} color={color} />;
  else view = <LibraryBrowser rows={d.library} cursor={b.cursor.library} width={width} height={body} color={color} />;
  const only = b.tab === 'specs' ? ['next-tab', 'move-down', 'toggle-diff', 'export', 'back'] as const
    : b.tab === 'ledger' ? ['next-tab', 'move-down', 'verify', 'back'] as const
      : b.tab === 'library' ? ['next-tab', 'move-down', 'export', 'back'] as const
        : ['next-tab', 'move-down', 'back'] as const;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Segments parts={[{ text: 'Browse  ', bold: true }, ...tabs]} width={width} />
      <Box height={body} flexDirection="column" overflow="hidden">{view}</Box>
      <Segments parts={[{ text: d !== null && b.message !== null ? b.message : ' ', color: 'yellow' }]} width={width} />
      <Segments parts={[{ text: hints('browser', { only, withGlobal: true, width }), dim: true }]} width={width} />
    </Box>
  );
};

import type { FC } from 'react';
import { Box, Text } from 'ink';
import { LedgerBrowser } from '../browsers/ledger-browser.tsx';
import { LibraryBrowser } from '../browsers/library-browser.tsx';
import { RunBrowser } from '../browsers/run-browser.tsx';
import { SpecBrowser } from '../browsers/spec-browser.tsx';
import { Segments, type Segment } from '../components/Segments.tsx';
import { hints } from '../keymap.ts';
import { BROWSER_TABS, type BrowserTab } from '../state/browser.ts';
import { useActions, useConsole } from '../useConsole.ts';
import { useKeys } from '../useKeys.ts';

const TAB_TITLE: Record<BrowserTab, string> = { specs: 'Specs', runs: 'Runs', ledger: 'Ledger', library: 'Library' };

/** The browsers (specs, runs, ledger, library) over a snapshot of the store; owns their keys. */
export const BrowserMode: FC<{ width: number; height: number; active: boolean }> = ({ width, height, active }) => {
  const a = useActions();
  const b = useConsole((s) => s.browser);
  const color = useConsole((s) => s.settings.color);
  useKeys('browser', active, (c) => {
    switch (c) {
      case 'next-tab': a.browserTab(1); break;
      case 'prev-tab': a.browserTab(-1); break;
      case 'move-up': a.browserMove(-1); break;
      case 'move-down': a.browserMove(1); break;
      case 'page-up': a.browserPage(-1); break;
      case 'page-down': a.browserPage(1); break;
      case 'toggle-diff': a.toggleDiff(); break;
      case 'verify': a.verifyLedger(); break;
      case 'export': a.exportDossier(); break;
      case 'back': a.closeBrowser(); break;
      default: break;
    }
  });
  const tabs: Segment[] = BROWSER_TABS.flatMap((t, i) => [
    { text: i === 0 ? '' : '  ' },
    { text: `${t === b.tab ? '[' : ' '}${TAB_TITLE[t]}${t === b.tab ? ']' : ' '}`, bold: t === b.tab, color: t === b.tab ? 'cyan' : undefined },
  ]);
  const body = Math.max(1, height - 3);
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
      <Segments parts={[{ text: hints('browser', { only, withGlobal: true }), dim: true }]} width={width} />
    </Box>
  );
};

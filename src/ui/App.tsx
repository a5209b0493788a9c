import { useRef, type FC } from 'react';
import { Box, Text, useApp } from 'ink';
import { BrowserMode } from './browse/BrowserMode.tsx';
import { Header } from './components/Header.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { History } from './components/History.tsx';
import { Inbox } from './components/Inbox.tsx';
import { LedgerLine } from './components/LedgerLine.tsx';
import { PipelineStrip } from './components/PipelineStrip.tsx';
import { consoleLayout, MIN_COLUMNS, MIN_ROWS } from './layout.ts';
import { PaneGrid } from './panes/PaneGrid.tsx';
import { StartScreen } from './start/StartScreen.tsx';
import type { ConsoleStore } from './state/store.ts';
import { ConsoleContext, useActions, useConsole } from './useConsole.ts';
import { useKeys } from './useKeys.ts';
import { useTerminalSize, type TerminalSize } from './useTerminalSize.ts';

export interface AppProps {
  store: ConsoleStore;
  /** A fixed size (tests); otherwise the terminal's, following resizes. */
  size?: TerminalSize;
}

/** The research console: the one provider of the store, the root key owner, and the layout. */
export const App: FC<AppProps> = ({ store, size }) => (
  <ConsoleContext.Provider value={store}>
    <Root size={size} />
  </ConsoleContext.Provider>
);

const Root: FC<{ size: TerminalSize | undefined }> = ({ size }) => {
  const { columns, rows } = useTerminalSize(size);
  const layout = consoleLayout(columns, rows);
  const { exit } = useApp();
  const a = useActions();
  const screen = useConsole((s) => s.screen);
  const focus = useConsole((s) => s.focus);
  const help = useConsole((s) => s.help);
  const zoom = useConsole((s) => s.zoom);
  const quitting = useRef(false);

  // One way out: the store's quit (answer, abort, flush, close), then Ink's exit.
  const quit = (): void => {
    if (quitting.current) return;
    quitting.current = true;
    a.quit().then(() => exit(), (e: unknown) => exit(e instanceof Error ? e : new Error(String(e))));
  };
  const typing = focus === 'idea' || focus === 'note';
  useKeys('always', true, (c) => { if (c === 'quit') quit(); });
  useKeys('global', !typing, (c) => {
    if (c === 'quit') quit();
    else if (c === 'help') a.toggleHelp();
  });

  if (layout.tooSmall) {
    return <Text wrap="truncate">{`terminal too small (${columns}×${rows}): the console needs at least ${MIN_COLUMNS}×${MIN_ROWS}. Resize it, or press q to quit.`.slice(0, Math.max(1, columns))}</Text>;
  }
  const width = layout.columns;
  const below = layout.areaHeight + layout.inboxLines + 1;
  if (screen === 'start') {
    const height = layout.rows - layout.headerLines - 1;
    return (
      <Box flexDirection="column" width={width}>
        <Header width={width} lines={layout.headerLines} />
        {help ? <HelpOverlay width={width} height={height} screen="start" active /> : <StartScreen width={width} height={height} active={!help} />}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width}>
      <History width={width} />
      <Header width={width} lines={layout.headerLines} />
      <PipelineStrip width={width} />
      {help
        ? <HelpOverlay width={width} height={below} screen="console" active />
        : focus === 'browser' ? <BrowserMode width={width} height={below} active />
        : (
          <>
            <PaneGrid layout={layout} zoom={zoom} />
            <Inbox width={width} active />
            <LedgerLine width={width} />
          </>
        )}
    </Box>
  );
};

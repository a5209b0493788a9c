import { useContext, useRef, type FC } from 'react';
import { Box, Text, useApp } from 'ink';
import { BrowserMode, browserPageRows } from './browsers/BrowserMode.tsx';
import { Header } from './components/Header.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { History } from './components/History.tsx';
import { Inbox } from './components/Inbox.tsx';
import { LedgerLine } from './components/LedgerLine.tsx';
import { PipelineStrip } from './components/PipelineStrip.tsx';
import { consoleLayout, MIN_COLUMNS, MIN_ROWS } from './layout.ts';
import { PaneGrid } from './panes/PaneGrid.tsx';
import { StartScreen, startLists } from './start/StartScreen.tsx';
import type { ConsoleStore } from './state/store.ts';
import { ConsoleContext, useActions, useConsole } from './useConsole.ts';
import { useConsoleKeys } from './useConsoleKeys.ts';
import { wrap } from './text.ts';
import { useTerminalSize, type TerminalSize } from './useTerminalSize.ts';

export interface AppProps {
  store: ConsoleStore;
  /** A fixed size (tests); otherwise the terminal's, following resizes. */
  size?: TerminalSize;
}

/** The research console: the one provider of the store, the one key owner (useConsoleKeys), and the layout. */
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
  const store = useContext(ConsoleContext)!;
  const llmMessage = useConsole((s) => s.settings.llmMessage);
  const startHeight = layout.rows - layout.headerLines - 1;
  const below = layout.areaHeight + layout.inboxLines + 1;
  const lists = startLists(startHeight, llmMessage === null ? 0 : wrap(`LLM: ${llmMessage}`, layout.columns).length);
  useConsoleKeys(() => store.getState(), {
    quit,
    page: {
      start: focus === 'files' ? lists.filesHeight : lists.examplesHeight,
      browser: browserPageRows(store.getState().browser, below),
      help: Math.max(1, (screen === 'start' ? startHeight : below) - 3),
    },
  });

  // The scrollback (<Static>) stays mounted whatever the screen: remounting it would print every
  // finished iteration again (after `i`, each earlier session's summary appeared once more).
  const width = layout.columns;
  return (
    <>
      <History width={Math.max(1, columns)} />
      {layout.tooSmall ? <Text wrap="wrap">{`terminal too small (${columns}×${rows}): the console needs at least ${MIN_COLUMNS}×${MIN_ROWS}. Resize it, or press q to quit.`}</Text>
        : screen === 'start' ? (
          <Box flexDirection="column" width={width}>
            <Header width={width} lines={layout.headerLines} />
            {help ? <HelpOverlay width={width} height={startHeight} screen="start" /> : <StartScreen width={width} height={startHeight} active={!help} />}
          </Box>
        ) : (
          <Box flexDirection="column" width={width}>
            <Header width={width} lines={layout.headerLines} />
            <PipelineStrip width={width} />
            {help
              ? <HelpOverlay width={width} height={below} screen="console" />
              : focus === 'browser' ? <BrowserMode width={width} height={below} />
              : (
                <>
                  <PaneGrid layout={layout} zoom={zoom} />
                  <Inbox width={width} active />
                  <LedgerLine width={width} />
                </>
              )}
          </Box>
        )}
    </>
  );
};

import { render, type Instance } from 'ink';
import { App } from './App.tsx';
import type { ConsoleStore } from './state/store.ts';

export interface RenderStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * Draws the console on a terminal. Ctrl-C is the console's own key (it quits like q, flushing the
 * store), so Ink's exit-on-Ctrl-C is off.
 */
export function renderConsole(store: ConsoleStore, streams: RenderStreams): Instance {
  return render(<App store={store} />, { stdin: streams.stdin, stdout: streams.stdout, exitOnCtrlC: false, patchConsole: true });
}

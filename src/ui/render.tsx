import { render, type Instance } from 'ink';
import { App } from './App.tsx';
import type { ConsoleStore } from './state/store.ts';
import { safeTerminalChunk } from '../core/safe-text.ts';

export interface RenderStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * Draws the console on a terminal. Ctrl-C is the console's own key (it quits like q, flushing the
 * store), so Ink's exit-on-Ctrl-C is off.
 */
export function renderConsole(store: ConsoleStore, streams: RenderStreams): Instance {
  return render(<App store={store} />, { stdin: streams.stdin, stdout: sanitised(streams.stdout), exitOnCtrlC: false, patchConsole: true });
}

/**
 * The console's output boundary. Ink keeps the SGR and OSC sequences it finds in the text it draws,
 * so a hostile idea file or model reply could write the clipboard or the window title through it;
 * every chunk Ink writes passes the one sanitiser on its way to the terminal. Everything else (size,
 * resize events, isTTY) is the real stream's.
 */
export function sanitised(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stdout.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? safeTerminalChunk(chunk) : chunk, ...rest);
  return new Proxy(stdout, {
    get(target, key) {
      if (key === 'write') return write;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

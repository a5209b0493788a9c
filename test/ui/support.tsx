/**
 * Console test support: the real console (createConsole over a real store in a temp dir, the real
 * engine on bundled data, the rules agents) drawn by Ink into in-memory streams, in debug mode so
 * every frame is recorded. Streams are built here rather than through ink-testing-library so the
 * terminal has rows as well as columns, and so `waitUntilExit` shows that `q` really exits Ink.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { render, type Instance } from 'ink';
import { App } from '../../src/ui/App.tsx';
import type { ConsoleStore } from '../../src/ui/state/store.ts';
import { createConsole, type ConsoleHandle } from '../../src/commands/console.ts';
import { exampleIdeas } from '../../src/commands/ideas.ts';
import { rulesAgents, type Agents } from '../../src/commands/agents-wiring.ts';
import { bufferIo, type Io } from '../../src/commands/io.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import { openStore, type Store } from '../../src/core/store/store.ts';
import type { Universe } from '../../src/engine/data/universe.ts';
import { ROOT, workspace } from '../research/helpers.ts';

class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(public columns: number, public rows: number) { super(); }
  write = (frame: string): boolean => { this.frames.push(frame); return true; };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => { this.data = data; this.emit('readable'); this.emit('data', data); };
  read = (): string | null => { const d = this.data; this.data = null; return d; };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface Drawn {
  instance: Instance;
  /** Settles when Ink exits (asked for at once: Ink only resolves a wait that began before the exit). */
  exited: Promise<unknown>;
  frames: string[];
  lastFrame(): string;
  /** Types `keys` one write at a time, with a pause after each (Ink parses a write as one key press or a paste). */
  press(...keys: string[]): Promise<void>;
  /** Resolves with the newest frame once `pred` holds for it; fails with that frame after `ms`. */
  waitFor(pred: (frame: string) => boolean, ms?: number, what?: string): Promise<string>;
}

export const KEY = { enter: '\r', esc: '\x1b', tab: '\t', shiftTab: '\x1b[Z', up: '\x1b[A', down: '\x1b[B', ctrlC: '\x03', backspace: '\b', pgdn: '\x1b[6~' } as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `follow`: the console reads the fake terminal's size and follows its resize events instead of a fixed size. */
export function draw(store: ConsoleStore, size = { columns: 100, rows: 30 }, follow = false): Drawn & { resize(columns: number, rows: number): void } {
  const stdout = new FakeStdout(size.columns, size.rows);
  const stderr = new FakeStdout(size.columns, size.rows);
  const stdin = new FakeStdin();
  const instance = render(follow ? <App store={store} /> : <App store={store} size={size} />, {
    stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true, exitOnCtrlC: false, patchConsole: false,
  });
  const lastFrame = (): string => stdout.frames.at(-1) ?? '';
  const exited = instance.waitUntilExit();
  exited.catch(() => undefined);
  return {
    resize: (columns, rows) => { stdout.columns = columns; stdout.rows = rows; stdout.emit('resize'); },
    instance,
    exited,
    frames: stdout.frames,
    lastFrame,
    press: async (...keys) => {
      // useInput attaches its listener in an effect: the first write right after render is lost without a turn.
      await sleep(30);
      for (const k of keys) { stdin.write(k); await sleep(k === KEY.esc ? 60 : 30); }
    },
    waitFor: async (pred, ms = 30_000, what = 'the expected frame') => {
      const t0 = Date.now();
      for (;;) {
        const f = lastFrame();
        if (pred(f)) return f;
        if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}; last frame:\n${f}`);
        await sleep(25);
      }
    },
  };
}

/** The live region of a debug frame: what follows the <Static> history printed above it. */
export function liveRegion(frame: string, historyLines: number): string[] {
  return frame.split('\n').slice(historyLines);
}

let universe: Universe | null = null;
let cacheDir: { cleanup: () => void; env: Record<string, string> } | null = null;

/** The bundled universe, loaded once per test file (its cache in a temp dir). */
export function bundled(): { universe: Universe; env: Record<string, string> } {
  cacheDir ??= workspace('ui-cache');
  universe ??= openUniverse(bufferIo(cacheDir.env, ROOT), undefined);
  return { universe, env: cacheDir.env };
}

export interface ConsoleFixture {
  dir: string;
  handle: ConsoleHandle;
  drawn: ReturnType<typeof draw>;
  cleanup(): Promise<void>;
}

/** A console over a fresh store in a temp dir, drawn at `size`. */
export interface ConsoleOpts {
  size?: { columns: number; rows: number };
  autoApprove?: number | null;
  agents?: Agents;
  /** Agents that need the store (a transcript sink): built once it is open. */
  agentsFor?: (store: Store, io: Io) => Promise<Agents>;
  env?: Record<string, string>;
  universe?: Universe;
  credits?: number;
  cwd?: string;
  /** Follow the fake terminal's size and resizes rather than a fixed size. */
  follow?: boolean;
}

export async function openConsole(opts: ConsoleOpts = {}): Promise<ConsoleFixture> {
  const ws = workspace('ui');
  const b = opts.universe === undefined ? bundled() : { universe: opts.universe, env: {} };
  const io = bufferIo({ ...b.env, ...opts.env }, opts.cwd ?? ROOT);
  const store = await openStore(join(ws.dir, 'db'));
  const handle = createConsole({
    io, store, universe: b.universe, universeLabel: 'bundled', agents: opts.agentsFor !== undefined ? await opts.agentsFor(store, io) : opts.agents ?? rulesAgents(), seed: 1, credits: opts.credits ?? 1000,
    autoApprove: opts.autoApprove ?? null, examples: exampleIdeas(), files: [],
  });
  const drawn = draw(handle.store, opts.size, opts.follow === true);
  return {
    dir: join(ws.dir, 'db'), handle, drawn,
    cleanup: async () => {
      // As q does: a waiting proposal is answered, the loop stops, the store is closed.
      await handle.store.getState().actions.quit();
      drawn.instance.unmount();
      ws.cleanup();
    },
  };
}

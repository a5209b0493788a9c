import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProblem } from '../scripts/build-state.mjs';
import { build } from '../scripts/build.mjs';
import { openTerminal, tmuxAvailable } from '../test/e2e/tmux.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'gauntlet.js');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function spawnMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

/** A server that accepts connections and never answers: an Ollama that hangs. */
function blackhole(): Promise<{ server: Server; url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, sockets, url: `http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}` });
  }));
}

/**
 * Time from starting `gauntlet` (the console, compiled, in a fresh 100×30 tmux pane) to its start
 * screen on the terminal, polled as fast as tmux answers (a few ms). Then q quits it.
 */
async function consoleStartMs(args: string[], dir: string): Promise<number> {
  const t0 = performance.now();
  const term = await openTerminal({ argv: [process.execPath, BIN, ...args], cwd: dir, env: { GAUNTLET_DB: join(dir, 'db'), GAUNTLET_CACHE: join(dir, 'cache') } });
  try {
    for (;;) {
      const s = await term.screen();
      if (s.includes('Examples (')) return performance.now() - t0;
      if (/^gauntlet: /m.test(s)) throw new Error(`the console did not start: ${s}`);
      if (performance.now() - t0 > 60_000) throw new Error(`no start screen after 60 s:\n${s}`);
    }
  } finally {
    await term.keys('q');
    await term.exited(15_000).catch(() => undefined);
    await term.close();
  }
}

/**
 * `gauntlet --help` against `node -e 0` (process start alone), interleaved; and the console's start
 * screen in tmux, offline and with an Ollama that accepts the connection and never answers (the
 * screen must not wait for the probe), each warm: the second and later runs, caches filled.
 */
export async function benchStartup(reps = 7): Promise<Record<string, unknown>> {
  if (buildProblem() !== null) await build({ quiet: true });
  const help: number[] = [];
  const empty: number[] = [];
  spawnMs([BIN, '--help']);
  for (let r = 0; r < reps; r++) {
    empty.push(spawnMs(['-e', '0']));
    help.push(spawnMs([BIN, '--help']));
  }
  const out: Record<string, unknown> = {
    bench: 'startup',
    node_e0_ms: median(empty),
    help_ms: median(help),
    x_help_vs_node: median(help) / median(empty),
  };
  if (!tmuxAvailable()) return { ...out, console: 'tmux not installed: start screen not measured' };
  const dir = mkdtempSync(join(tmpdir(), 'gauntlet-bench-console-'));
  const hole = await blackhole();
  try {
    const offline: number[] = [];
    const hanging: number[] = [];
    await consoleStartMs(['--offline'], dir);
    for (let r = 0; r < 3; r++) {
      offline.push(await consoleStartMs(['--offline'], dir));
      hanging.push(await consoleStartMs(['--ollama', hole.url], dir));
    }
    return {
      ...out,
      console_start_offline_ms: median(offline),
      console_start_ollama_hanging_ms: median(hanging),
      target: { x_help_vs_node: '<= 2', console_start_offline_ms: '< 1000', console_start_ollama_hanging_ms: '< 1000' },
    };
  } finally {
    for (const s of hole.sockets) s.destroy();
    hole.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

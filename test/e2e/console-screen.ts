/**
 * Reading the console off a terminal screen, and starting it in one: shared by the tmux test and
 * the README screen captures.
 */
import { ROOT, readStoreFile } from '../research/helpers.ts';
import { openTerminal, type Terminal } from './tmux.ts';

/** The proposal waiting in the approval inbox, as its line reads, or null when none waits. */
export interface ShownProposal {
  line: string;
  action: string;
  cost: number;
}

export function shownProposal(screen: string): ShownProposal | null {
  const line = screen.split('\n').find((l) => l.startsWith('▶ Director proposes: '));
  if (line === undefined) return null;
  const m = /^▶ Director proposes: (\S+).*? · (\d+) credits/.exec(line);
  if (m === null) throw new Error(`the inbox line does not read "<action> … · <cost> credits": ${line}`);
  return { line, action: m[1]!, cost: Number(m[2]) };
}

/** The verdict line of the inbox (`■ KILLED: …`), or null while the session runs. */
export function shownVerdict(screen: string): { status: string; reason: string } | null {
  const m = /^■ (DEAD|FROZEN|KILLED|PROMOTED): (.*)$/m.exec(screen);
  return m === null ? null : { status: m[1]!, reason: m[2]! };
}

export interface ConsoleRun {
  /** Console flags (`--db`, `--universe`, `--model`, …). */
  args: string[];
  /** The console's environment (OLLAMA_HOST, GAUNTLET_CACHE, …); CI and GAUNTLET_DB are never passed. */
  env: Record<string, string>;
  /** Defaults to the repo, where `node --import tsx src/cli.ts` resolves. */
  cwd?: string;
  /** The entry point; defaults to src/cli.ts through tsx (bin/gauntlet.js works from any directory). */
  entry?: string[];
  /** The pane's size; 100×30 by default. */
  columns?: number;
  rows?: number;
}

/** `gauntlet` (the console) in a fresh tmux pane (100×30 unless told). */
export function openConsole(run: ConsoleRun): Promise<Terminal> {
  return openTerminal({
    argv: [process.execPath, ...(run.entry ?? ['--import', 'tsx', 'src/cli.ts']), ...run.args],
    cwd: run.cwd ?? ROOT,
    env: run.env,
    columns: run.columns ?? 100,
    rows: run.rows ?? 30,
  });
}

/**
 * Waits for the next proposal after `previous` (by its line: a decided proposal is never offered
 * again, so a new line is a new proposal) or for the verdict, whichever comes first.
 */
export async function nextProposal(term: Terminal, previous: ShownProposal | null, ms = 30_000): Promise<{ proposal: ShownProposal | null; screen: string }> {
  const screen = await term.waitFor((s) => {
    if (shownVerdict(s) !== null) return true;
    const p = shownProposal(s);
    return p !== null && p.line !== previous?.line;
  }, previous === null ? 'the first proposal' : `a proposal after "${previous.line}"`, ms);
  return { proposal: shownVerdict(screen) === null ? shownProposal(screen) : null, screen };
}

/** Waits until the store at `db` holds exactly `n` decisions (a console writes them as keys are pressed). */
export async function storeDecisions(db: string, n: number): Promise<void> {
  const t0 = Date.now();
  while ((readStoreFile(db)?.decisions.length ?? -1) !== n) {
    if (Date.now() - t0 > 15_000) throw new Error(`timed out waiting for ${n} decisions in the store`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

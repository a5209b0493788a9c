import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProblem } from '../scripts/build-state.mjs';
import { build } from '../scripts/build.mjs';
import { writeMinuteCsv } from './cli-data.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'gauntlet.js');
const HARNESS = join(ROOT, 'bench', 'grademark', 'sma-cross.mjs');
/** The peer, pinned: grademark 0.3.0 with the data-forge and chai it is written against. */
const PEER = ['grademark@0.3.0', 'data-forge@1.10.5', 'chai@4.5.0'];

/** SMA 10/50, long only, a cross confirmed by a second bar (see bench/grademark/sma-cross.mjs for why), no costs. */
const SPEC = {
  schema: 'gauntlet/spec@1',
  name: 'bench-sma-10-50',
  idea: 'long while SMA(10) is above SMA(50), a cross confirmed by a second bar',
  meta: { style: 'trend_following', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
  params: {},
  indicators: { f: { fn: 'sma', source: 'close', period: 10 }, s: { fn: 'sma', source: 'close', period: 50 } },
  rules: {
    long_entry: { all: [['f', '>', 's'], ['f[1]', '>', 's[1]'], ['f[2]', '<=', 's[2]']] },
    long_exit: { all: [['f', '<', 's'], ['f[1]', '<', 's[1]'], ['f[2]', '>=', 's[2]']] },
    short_entry: null,
    short_exit: null,
  },
  risk: { stop_loss_pct: null, take_profit_pct: null },
  execution: { fees_bps: 0, slippage_bps: 0 },
};

interface Run { ms: number; stdout: string }

function timed(args: string[], env: Record<string, string>): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, stdout: r.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Trade { entry_time: number; entry_price: number; exit_time: number; exit_price: number }

/**
 * `gauntlet backtest --json` end to end (a fresh process each time, compiled build) on a 1M-bar
 * minute CSV, with a cold cache (a new cache directory) and a warm one, against grademark 0.3 on the
 * same file and strategy, installed into a temporary directory from the npm registry. Rounds of
 * (cold, warm, grademark) interleave so load on the machine hits all three alike. `identical`
 * compares every trade: entry and exit time and price.
 */
export async function benchCliBacktest(rounds = 3): Promise<Record<string, unknown>> {
  // The bench measures the code as it is: a stale dist/ is rebuilt first.
  if (buildProblem() !== null) await build({ quiet: true });
  const dir = mkdtempSync(join(tmpdir(), 'gauntlet-bench-cli-'));
  try {
    const csv = join(dir, 'minute-1m.csv');
    const spec = join(dir, 'sma-10-50.json');
    writeMinuteCsv(csv, 1_000_000, 42);
    writeFileSync(spec, JSON.stringify(SPEC));
    const peer = join(dir, 'peer');
    mkdirSync(peer);
    writeFileSync(join(peer, 'package.json'), '{"name":"peer","private":true}\n');
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--silent', ...PEER], { cwd: peer, encoding: 'utf8' });
    if (npm.status !== 0) return { bench: 'cli_backtest_1m', error: `npm install ${PEER.join(' ')} failed: ${npm.stderr.slice(0, 300)}` };
    const ours = (cache: string, extra: string[] = []): Run => timed([BIN, 'backtest', '--spec', spec, '--data', csv, '--json', ...extra], { GAUNTLET_CACHE: cache });
    const theirs = (): Run => timed([HARNESS, csv, peer], {});

    const listed = JSON.parse(ours(join(dir, 'cache-list'), ['--trades', '1000000']).stdout) as { trades: { entry_time: string; entry_price: number; exit_time: string; exit_price: number }[] };
    const peerTrades = JSON.parse(theirs().stdout) as Trade[];
    const mine: Trade[] = listed.trades.map((t) => ({ entry_time: Date.parse(t.entry_time) / 1000, entry_price: t.entry_price, exit_time: Date.parse(t.exit_time) / 1000, exit_price: t.exit_price }));
    const identical = mine.length === peerTrades.length && mine.every((t, i) => JSON.stringify(t) === JSON.stringify(peerTrades[i]));

    const warmCache = join(dir, 'cache-warm');
    ours(warmCache);
    const cold: number[] = [];
    const warm: number[] = [];
    const peerMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      cold.push(ours(join(dir, `cache-cold-${r}`)).ms);
      warm.push(ours(warmCache).ms);
      peerMs.push(theirs().ms);
    }
    const [c, w, g] = [median(cold), median(warm), median(peerMs)];
    return {
      bench: 'cli_backtest_1m',
      bars: 1_000_000,
      csv_mb: Math.round(Number(spawnSync('stat', ['-c', '%s', csv], { encoding: 'utf8' }).stdout) / 1e5) / 10,
      trades: mine.length,
      identical_trades: identical,
      gauntlet_cold_ms: c,
      gauntlet_warm_ms: w,
      grademark_ms: g,
      x_faster_warm: g / w,
      x_faster_cold: g / c,
      peer: PEER.join(' '),
      target: { identical_trades: true, x_faster_warm: '>= 5', x_faster_cold: '>= 3' },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

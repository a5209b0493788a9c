/**
 * `npm run bench`: one JSON object per line, ratios measured side by side in this process.
 * Usage: npm run bench [-- NAME...]   (names: backtest, load, optimize, cli, startup)
 */
import { benchBacktest } from './backtest.ts';

const wanted = new Set(process.argv.slice(2));
const want = (name: string): boolean => wanted.size === 0 || wanted.has(name);

const emit = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

if (want('backtest')) emit(benchBacktest());
if (want('load')) {
  const { benchLoadStockSet } = await import('./load.ts');
  emit(await benchLoadStockSet());
}
if (want('optimize')) emit(await (await import('./optimize.ts')).benchOptimize());
if (want('cli')) emit(await (await import('./cli-backtest.ts')).benchCliBacktest());
if (want('startup')) emit(await (await import('./startup.ts')).benchStartup());

/**
 * `gauntlet data import`: real bundled bars written out as a researcher's Yahoo downloads and TradingView
 * exports, imported in one command, then researched. Every bad input: a clear message, exit 2, no output.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniverseFileSchema } from '../../src/core/universe.ts';
import type { Bars } from '../../src/engine/data/bars.ts';
import { loadBundledUniverse } from '../../src/engine/data/universe.ts';
import { FINAL, inproc, parseEvents, summaryOf, STOCK_IDEA, workspace } from '../research/helpers.ts';

const ws = workspace('data-import');
afterAll(() => ws.cleanup());
const at = (...p: string[]): string => join(ws.dir, ...p);

const YAHOO = ['AAPL', 'MSFT', 'JPM', 'XOM', 'JNJ', 'PG', 'KO', 'PFE', 'WMT', 'INTC', 'CSCO', 'BAC', 'CVX', 'MRK', 'HD', 'T', 'VZ', 'DIS', 'MCD', 'IBM'];
const TV = ['NVDA', 'AMZN', 'GS', 'CAT', 'NEE'];
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Yahoo's download layout; Adj Close = Close × 0.98 (a dividend adjustment we must not read by default). */
function yahooCsv(b: Bars): string {
  const rows = Array.from(b.time, (t, i) => `${day(t)},${b.open[i]},${b.high[i]},${b.low[i]},${b.close[i]},${b.close[i]! * 0.98},${b.volume[i]}`);
  return `Date,Open,High,Low,Close,Adj Close,Volume\n${rows.join('\n')}\n`;
}

/** TradingView's export: epoch-second time, indicator plots after the prices; optionally without volume. */
function tradingViewCsv(b: Bars, volume: boolean): string {
  const head = volume ? 'time,open,high,low,close,Volume,Volume MA,Plot,RSI' : 'time,open,high,low,close,Plot,RSI';
  const rows = Array.from(b.time, (t, i) => [t / 1000, b.open[i], b.high[i], b.low[i], b.close[i], ...(volume ? [b.volume[i], 1] : []), 2, 50].join(','));
  return `${head}\n${rows.join('\n')}\n`;
}

beforeAll(() => {
  const u = loadBundledUniverse(undefined, { env: ws.env });
  mkdirSync(at('yahoo'));
  mkdirSync(at('tv'));
  for (const s of YAHOO) writeFileSync(at('yahoo', `${s}.csv`), yahooCsv(u.loadBars(s, '1d').bars));
  TV.forEach((s, k) => writeFileSync(at('tv', `NYSE_${s}, 1D_${k}a${k}.csv`), tradingViewCsv(u.loadBars(s, '1d').bars, k !== 0)));
}, 60_000);

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return inproc(args, ws.env);
}

/** Nothing at --out, and no staging directory left beside it. */
function expectNothingWritten(out: string): void {
  expect(existsSync(at(out))).toBe(false);
  expect(readdirSync(ws.dir).filter((f) => f.includes('staging'))).toEqual([]);
}

describe('gauntlet data import', () => {
  it('20 Yahoo CSVs and 5 TradingView exports become a universe in one command, and research runs on it', async () => {
    const r = await run(['data', 'import', at('yahoo'), ...TV.map((s, k) => at('tv', `NYSE_${s}, 1D_${k}a${k}.csv`)), '--out', at('mine')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const u = UniverseFileSchema.parse(JSON.parse(readFileSync(at('mine', 'universe.json'), 'utf8')));
    expect(Object.keys(u.symbols).sort()).toEqual([...YAHOO, ...TV].sort());
    // Sectors from the bundled map (every one is an S&P 500 name), stated per symbol.
    expect(u.symbols.AAPL).toMatchObject({ sector: 'Information Technology', market_type: 'equities', files: { '1d': 'AAPL.csv' }, source: `${at('yahoo')}/AAPL.csv` });
    expect(u.symbols.NVDA?.files).toEqual({ '1d': 'NVDA.csv' });
    expect(r.stdout).toContain('AAPL 1d  1,259 bars  2013-02-08 .. 2018-02-07');
    // Independently: consecutive calendar days among AAPL's 1,258 gaps (the rest span weekends and holidays).
    const t = loadBundledUniverse(undefined, { env: ws.env }).loadBars('AAPL', '1d').bars.time;
    const nextDay = Array.from(t).filter((x, i) => i > 0 && x - t[i - 1]! === 86_400_000).length;
    expect(r.stdout).toContain(`    interval: 1d, inferred from the bar spacing (smallest gap 1 day; ${nextDay} of 1,258 gaps are one bar)`);
    expect(r.stdout).toContain('    sector: Information Technology (from the bundled sector map)');
    expect(r.stdout).toContain('    ignored column: Adj Close');
    expect(r.stdout).toContain('    ignored columns: Volume MA, Plot, RSI');
    expect(r.stdout).toContain('    no volume column: volume is NaN, and volume indicators (obv, mfi, the volume field) are refused on it');
    // data info states where each symbol came from.
    const info = await run(['data', 'info', '--universe', at('mine'), '--json']);
    const infoJson = JSON.parse(info.stdout) as { provenance: Record<string, unknown>; survivorship: unknown; symbols: { symbol: string; source: string }[] };
    expect(infoJson.symbols.find((s) => s.symbol === 'NVDA')?.source).toBe(at('tv', 'NYSE_NVDA, 1D_0a0.csv'));
    expect([infoJson.provenance.made_by, infoJson.provenance.files, infoJson.survivorship]).toEqual(['gauntlet data import', 25, null]);
    // The copies are byte for byte what the user gave.
    expect(readFileSync(at('mine', 'AAPL.csv'))).toEqual(readFileSync(at('yahoo', 'AAPL.csv')));
    // Close, not Adj Close: the imported AAPL equals the bundled AAPL.
    const bundled = loadBundledUniverse(undefined, { env: ws.env }).loadBars('AAPL', '1d').bars;
    const mine = await run(['backtest', '--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--universe', at('mine'), '--json']);
    const theirs = await run(['backtest', '--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--json']);
    expect(mine.code).toBe(0);
    expect(JSON.parse(mine.stdout).metrics).toEqual(JSON.parse(theirs.stdout).metrics);
    expect(JSON.parse(mine.stdout).bars).toBe(bundled.time.length);

    const research = await run(['research', STOCK_IDEA, '--universe', at('mine'), '--offline', '--approve', 'all', '--budget', '200', '--json', '--db', at('db')]);
    expect(research.code).toBe(0);
    const summary = summaryOf(parseEvents(research.stdout));
    expect(FINAL).toContain(summary.status);
    // The loop screened the whole imported scope: one run per symbol, the volume-less NEE included.
    expect(summary.runs).toBe(YAHOO.length + TV.length);
  }, 120_000);

  it('a sector file sets sectors; --adjusted reads Adj Close (×0.98 here) and says so', async () => {
    writeFileSync(at('sectors.csv'), 'symbol,sector\nAAPL,Tech\nMSFT,Tech\n');
    const r = await run(['data', 'import', at('yahoo', 'AAPL.csv'), at('yahoo', 'MSFT.csv'), at('yahoo', 'KO.csv'), '--sectors', at('sectors.csv'), '--adjusted', '--out', at('adj')]);
    expect(r.code).toBe(0);
    const u = UniverseFileSchema.parse(JSON.parse(readFileSync(at('adj', 'universe.json'), 'utf8')));
    expect([u.symbols.AAPL?.sector, u.symbols.KO?.sector, u.symbols.AAPL?.adjusted]).toEqual(['Tech', 'Consumer Staples', true]);
    expect(r.stdout).toContain('    sector: Tech (from the sector file)');
    expect(r.stdout).toContain('    adjusted: open, high, low and close rescaled by Adj Close / Close');
    const b = JSON.parse((await run(['backtest', '--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--universe', at('adj'), '--json'])).stdout);
    const raw = loadBundledUniverse(undefined, { env: ws.env }).loadBars('AAPL', '1d').bars;
    expect(b.buy_and_hold.total_return).toBeCloseTo((raw.close[raw.close.length - 1]! * 0.98) / (raw.close[0]! * 0.98) - 1, 12);
  }, 60_000);

  it('an unknown symbol gets sector Unknown, said', async () => {
    writeFileSync(at('ZZZZ.csv'), 'date,open,high,low,close,volume\n2020-01-02,1,1,1,1,1\n2020-01-03,1,1,1,1,1\n');
    const r = await run(['data', 'import', at('ZZZZ.csv'), '--out', at('zz')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    sector: Unknown (not in a sector file or the bundled sector map; pass --sectors FILE to set it)');
  });

  describe('bad input: the whole message, exit 2, no partial output', () => {
    const refused = async (args: string[], out: string, message: string): Promise<void> => {
      const r = await run(['data', 'import', ...args, '--out', at(out)]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${message}\n`);
      expect(r.code).toBe(2);
      expectNothingWritten(out);
    };

    it('a missing file', () => refused([at('yahoo', 'AAPL.csv'), at('nope.csv')], 'o1', `gauntlet data import: nothing was written:\n  ${at('nope.csv')}: file not found`));

    it('a directory without CSVs', () => {
      mkdirSync(at('empty'));
      writeFileSync(at('empty', 'notes.txt'), 'x');
      return refused([at('empty')], 'o2', `gauntlet data import: nothing was written:\n  ${at('empty')}: no data files in this directory (looked for .csv, .tsv, .csv.gz, .tsv.gz)`);
    });

    it('conflicting intervals', () => refused([at('yahoo', 'KO.csv'), '--interval', '1h'], 'o3',
      `gauntlet data import: nothing was written:\n  ${at('yahoo', 'KO.csv')}: conflicting intervals: --interval 1h, but KO is 1d, inferred from the bar spacing (smallest gap 1 day; 986 of 1,258 gaps are one bar); import it separately, or drop --interval`));

    it('duplicate symbols across files', () => {
      mkdirSync(at('other'));
      writeFileSync(at('other', 'KO.csv'), readFileSync(at('yahoo', 'KO.csv')));
      return refused([at('yahoo', 'KO.csv'), at('other')], 'o4',
        `gauntlet data import: nothing was written:\n  duplicate symbol KO at 1d: in ${at('yahoo', 'KO.csv')} and in ${at('other')}/KO.csv; import one of them, or rename a file`);
    });

    it('a sector file naming unknown symbols', () => {
      writeFileSync(at('bad-sectors.csv'), 'symbol,sector\nKO,Staples\nPEP,Staples\nGOOG,Tech\n');
      return refused([at('yahoo', 'KO.csv'), '--sectors', at('bad-sectors.csv')], 'o5',
        `gauntlet data import: nothing was written:\n  ${at('bad-sectors.csv')}: names 2 symbols that are not imported: PEP (line 3), GOOG (line 4); remove them, or import their data`);
    });

    it('a bad row names its file and line, among good files', () => {
      writeFileSync(at('BAD.csv'), 'date,open,high,low,close,volume\n2020-01-02,1,1,1,1,1\n2020-01-03,1,0.5,1,1,1\n');
      return refused([at('yahoo', 'KO.csv'), at('BAD.csv')], 'o6',
        `gauntlet data import: nothing was written:\n  1 bad row in 1 file (a strict load refuses them):\n    ${at('BAD.csv')}:3: BAD: high 0.5 < low 1\n  Fix these rows; 'gauntlet data check FILE' lists them all.`);
    });

    it('an occupied --out without --force', async () => {
      mkdirSync(at('full'));
      writeFileSync(at('full', 'keep.txt'), 'mine');
      const r = await run(['data', 'import', at('yahoo', 'KO.csv'), '--out', at('full')]);
      expect(r.stderr).toBe(`${at('full')}: already holds 1 file(s) (keep.txt); choose another --out, or pass --force to replace it\n`);
      expect(r.code).toBe(2);
      expect(readdirSync(at('full'))).toEqual(['keep.txt']);
    });
  });
});

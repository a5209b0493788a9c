import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../../src/core/errors.ts';
import { availableIntervals, bundledDataDir, loadBundledUniverse, loadUniverseDir, suggest, type Universe } from '../../src/engine/data/universe.ts';
import { DATA_DIR, stockLine, tempDir, writeTemp } from './data-helpers.ts';

const utc = (s: string): number => Date.parse(`${s}Z`);

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('bundled universe', () => {
  let u: Universe;
  beforeAll(() => { u = loadBundledUniverse(undefined, { cacheDir: tempDir('gauntlet-cache-') }); });

  it('finds data/ from the module location', () => {
    expect(bundledDataDir()).toBe(DATA_DIR);
  });

  it('has 505 stocks + SPX + BTCUSD + BTCUSD_BITSTAMP with the sector counts of SOURCE.txt', () => {
    expect(u.symbols()).toHaveLength(508);
    const sectors = Object.fromEntries(u.sectors());
    expect(sectors).toEqual({
      'Consumer Discretionary': 84, 'Information Technology': 70, Financials: 68, Industrials: 67, 'Health Care': 61,
      'Consumer Staples': 34, 'Real Estate': 33, Energy: 32, Utilities: 28, Materials: 25, 'Telecommunication Services': 3,
      Crypto: 2, Index: 1,
    });
    expect(u.info('SPX')).toMatchObject({ sector: 'Index', market_type: 'equities', intervals: ['1d'] });
    expect(u.info('BTCUSD')).toMatchObject({ sector: 'Crypto', market_type: 'crypto', anchoring: 'clock', intervals: ['1m', '5m', '15m', '1h', '4h', '1d'] });
    expect(u.info('BTCUSD_BITSTAMP').intervals).toEqual(['5m', '15m', '1h', '4h', '1d']);
    expect(u.info('AAPL')).toMatchObject({ sector: 'Information Technology', anchoring: 'session', intervals: ['1m', '5m', '15m', '1h', '4h', '1d'] });
    expect(u.info('AAPL').sources.map((s) => [s.interval, s.label])).toEqual([['1d', 'start'], ['1m', 'end']]);
    expect(u.info('T').sector).toBe('Telecommunication Services');
  });

  it('the interval picks the file: AAPL 1d from the stock set, 1h resampled from intraday 1m', () => {
    const d = u.loadBars('AAPL', '1d');
    expect(d.source.display).toMatch(/all_stocks_5yr\.csv\.gz$/);
    expect(d.bars.time.length).toBe(1259);
    expect(d.bars.time[0]).toBe(utc('2013-02-08T00:00'));
    expect(d.bars.close[0]).toBe(67.8542); // SOURCE.txt: 2013-02-08 close 67.8542
    const h = u.loadBars('AAPL', '1h');
    expect(h.resampledFrom).toBe('1m');
    expect(h.label).toBe('start');
    expect(h.bars.time.length).toBe(21 * 7);
    expect(h.bars.time[0]).toBe(utc('2016-04-15T13:30'));
    expect(u.loadBars('AAPL', '1m').label).toBe('end');
  });

  it('1m → 1d from Google intraday matches the IEX daily file: same open/high/low, close within 0.1%', () => {
    for (const sym of ['AAPL', 'MSFT']) {
      const m = u.loadBars(sym, '1m').bars;
      const d = u.loadBars(sym, '1d', { from: '2016-04-15', to: '2016-05-13' }).bars;
      const r = u.loadBars(sym, '4h').bars; // resampled; combine the two 4h bars per day by hand
      expect(d.time.length).toBe(21);
      expect(r.time.length).toBe(42);
      for (let i = 0; i < 21; i++) {
        const a = 2 * i;
        expect(Math.floor(r.time[a]! / 86_400_000) * 86_400_000).toBe(d.time[i]);
        expect(r.open[a]).toBe(d.open[i]);
        expect(Math.max(r.high[a]!, r.high[a + 1]!)).toBe(d.high[i]);
        expect(Math.min(r.low[a]!, r.low[a + 1]!)).toBe(d.low[i]);
        expect(Math.abs(r.close[a + 1]! / d.close[i]! - 1)).toBeLessThan(0.001);
      }
      expect(m.time.length).toBe(8211);
    }
  });

  it('BTC files are declared unsorted and load sorted', () => {
    const b = u.loadBars('BTCUSD', '1m').bars;
    expect(b.time.length).toBe(50_669);
    for (let i = 1; i < b.time.length; i++) if (!(b.time[i]! > b.time[i - 1]!)) throw new Error(`not ascending at ${i}`);
    expect(b.time[0]).toBe(utc('2016-02-09T20:51'));
    expect(b.time[b.time.length - 1]).toBe(utc('2016-04-19T20:27'));
    expect(u.loadBars('BTCUSD_BITSTAMP', '5m').bars.time.length).toBe(30_610);
  });

  it('from/to are inclusive; a bare `to` date includes the whole day', () => {
    const b = u.loadBars('MSFT', '1h', { from: '2016-04-18', to: '2016-04-18' }).bars;
    expect(b.time.length).toBe(7);
    expect(b.time[0]).toBe(utc('2016-04-18T13:30'));
    expect(message(() => u.loadBars('MSFT', '1d', { from: '2019-01-01' }))).toMatch(/no MSFT 1d bars between 2019-01-01 and the end; the data covers 2013-02-08 \.\. 2018-02-07/);
    expect(message(() => u.loadBars('MSFT', '1d', { from: 'yesterday' }))).toMatch(/from: "yesterday" is not a date/);
  });

  it('unknown symbol → did you mean; unavailable interval → the available ones', () => {
    expect(message(() => u.loadBars('APPL', '1d'))).toMatch(/unknown symbol "APPL" .*Did you mean "AAPL"/);
    expect(message(() => u.loadBars('aapl', '1d'))).toMatch(/Did you mean "AAPL"\?/);
    expect(message(() => u.loadBars('ZZZZZZZZ', '1d'))).not.toMatch(/Did you mean/);
    expect(message(() => u.loadBars('IBM', '1h'))).toBe('IBM is not available at 1h; available: 1d');
    expect(message(() => u.loadBars('BTCUSD_BITSTAMP', '1m'))).toBe('BTCUSD_BITSTAMP is not available at 1m; available: 5m, 15m, 1h, 4h, 1d');
  });

  it('strict load of a symbol with bad rows names file, line and problem; repair lists the drops', () => {
    const m = message(() => u.loadBars('BHF', '1d'));
    expect(m).toContain(`all_stocks_5yr.csv.gz:${stockLine('BHF', '2017-07-26')}: BHF: open is empty; high is empty; low is empty`);
    const r = u.loadBars('BHF', '1d', { repair: true });
    expect(r.repairs.map((x) => [x.line, x.action])).toEqual([[stockLine('BHF', '2017-07-26'), 'dropped']]);
    const nwl = u.loadBars('NWL', '1d'); // a warning does not block a strict load …
    expect(nwl.warnings.map((w) => w.line)).toEqual([stockLine('NWL', '2017-09-14')]);
    expect(nwl.bars.time.includes(utc('2017-09-14T00:00'))).toBe(true);
    const nwlRep = u.loadBars('NWL', '1d', { repair: true }); // … repair drops it
    expect(nwlRep.bars.time.includes(utc('2017-09-14T00:00'))).toBe(false);
    expect(nwlRep.repairs.map((x) => x.code)).toEqual(['suspected_bad_tick']);
  });

  it('files() lists every distinct file once, with the reference files last', () => {
    const f = u.files();
    expect(f).toHaveLength(8);
    expect(f.find((x) => x.display.endsWith('all_stocks_5yr.csv.gz'))!.symbols).toHaveLength(505);
    expect(f.filter((x) => x.reference).map((x) => x.interval)).toEqual(['10m', '30m']);
    expect(f.filter((x) => x.sort).length).toBe(4);
  });
});

describe('helpers', () => {
  it('available intervals: native plus coarser ladder multiples', () => {
    expect(availableIntervals(['1d'])).toEqual(['1d']);
    expect(availableIntervals(['5m'])).toEqual(['5m', '15m', '1h', '4h', '1d']);
    expect(availableIntervals(['10m'])).toEqual(['10m', '1h', '4h', '1d']);
    expect(availableIntervals(['1h', '1d'])).toEqual(['1h', '4h', '1d']);
  });
  it('suggest', () => {
    expect(suggest('GOOG', ['GOOGL', 'GOOG', 'MSFT'])).toEqual(['GOOG']);
    expect(suggest('MSTF', ['GOOGL', 'MSFT'])).toEqual(['MSFT']);
  });
});

describe('universe directory', () => {
  const csv = (rows: string[]) => `date,open,high,low,close,volume\n${rows.join('\n')}\n`;
  const daily = csv(['2020-01-02,10,11,9,10.5,100', '2020-01-03,10.5,12,10,11,200', '2020-01-06,11,11.5,10.5,11.25,150']);
  const minute = `time,open,high,low,close,Volume\n${Array.from({ length: 10 }, (_, i) => `${1577977200 + i * 60},1,2,0.5,1.5,1`).join('\n')}\n`; // 2020-01-02 15:00 UTC

  function dir(files: Record<string, string | Uint8Array>): string {
    const d = tempDir('gauntlet-universe-');
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(d, name)), { recursive: true });
      writeTemp(d, name, content);
    }
    return d;
  }
  const opts = () => ({ cacheDir: tempDir('gauntlet-cache-') });

  it('missing directory and missing universe.json are clear errors', () => {
    expect(message(() => loadUniverseDir('/definitely/not/here', opts()))).toBe('/definitely/not/here: universe directory not found');
    const d = dir({ 'ACME.csv': daily });
    expect(message(() => loadUniverseDir(d, opts()))).toMatch(new RegExp(`${join(d, 'universe.json')}: not found\\. A universe directory needs a universe\\.json`));
  });

  it('invalid JSON and schema errors name the file and the JSON path', () => {
    const d1 = dir({ 'universe.json': '{"schema": "gauntlet/universe@1", ' });
    expect(message(() => loadUniverseDir(d1, opts()))).toMatch(/universe\.json: invalid JSON: /);
    const d2 = dir({ 'universe.json': JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { ACME: { sector: '', market_type: 'stocks' } } }) });
    const m = message(() => loadUniverseDir(d2, opts()));
    expect(m).toContain(`${join(d2, 'universe.json')}: symbols.ACME.sector: sector must not be empty`);
    expect(m).toContain('symbols.ACME.market_type: ');
    const d3 = dir({ 'universe.json': JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { ACME: { sector: 'X', files: { '1d': 'nope.csv' } } } }) });
    expect(message(() => loadUniverseDir(d3, opts()))).toMatch(/universe\.json: symbols\.ACME\.files\.1d: file "nope\.csv" not found/);
    const d4 = dir({ 'universe.json': JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { ACME: { sector: 'X' } } }) });
    expect(message(() => loadUniverseDir(d4, opts()))).toMatch(/symbols\.ACME: no "files" given and none of ACME\.csv, ACME\.tsv, ACME\.csv\.gz, ACME\.tsv\.gz exists/);
  });

  it('infers intervals from <SYMBOL>.csv / .csv.gz, honours explicit files, and resamples', () => {
    const d = dir({
      'ACME.csv': daily,
      'FAST.csv.gz': gzipSync(Buffer.from(minute)),
      'raw/slow.csv': daily,
      'universe.json': JSON.stringify({
        schema: 'gauntlet/universe@1', name: 'mine',
        symbols: { ACME: { sector: 'Industrials' }, FAST: { sector: 'Crypto', market_type: 'crypto' }, SLOW: { sector: 'Utilities', files: { '1d': 'raw/slow.csv' } } },
      }),
    });
    const u = loadUniverseDir(d, opts());
    expect(u.name).toBe('mine');
    expect(u.info('ACME').intervals).toEqual(['1d']);
    expect(u.info('FAST').intervals).toEqual(['1m', '5m', '15m', '1h', '4h', '1d']);
    expect([...u.loadBars('ACME', '1d').bars.close]).toEqual([10.5, 11, 11.25]);
    const five = u.loadBars('FAST', '5m').bars;
    expect([...five.time]).toEqual([utc('2020-01-02T15:00'), utc('2020-01-02T15:05')]);
    expect([...five.volume]).toEqual([5, 5]);
    expect(u.loadBars('SLOW', '1d').bars.time.length).toBe(3);
  });

  it('a file declared at the wrong interval is refused', () => {
    const d = dir({ 'm.csv': minute, 'universe.json': JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { M: { sector: 'X', files: { '1h': 'm.csv' } } } }) });
    expect(message(() => loadUniverseDir(d, opts()).loadBars('M', '1h'))).toMatch(/m\.csv: declared as 1h bars, but M has bars .* only 1 min apart/);
  });

  it('a long (Name column) file can serve several symbols', () => {
    const d = dir({
      'all.csv': 'date,open,high,low,close,volume,Name\n2020-01-02,1,2,0.5,1.5,10,AAA\n2020-01-02,3,4,2.5,3.5,20,BBB\n2020-01-03,1,2,0.5,1.25,10,AAA\n',
      'universe.json': JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { AAA: { sector: 'X', files: { '1d': 'all.csv' } }, BBB: { sector: 'Y', files: { '1d': 'all.csv' } } } }),
    });
    const u = loadUniverseDir(d, opts());
    expect([...u.loadBars('AAA', '1d').bars.close]).toEqual([1.5, 1.25]);
    expect([...u.loadBars('BBB', '1d').bars.close]).toEqual([3.5]);
    expect(u.files()).toHaveLength(1);
  });

  it('an interval that cannot be inferred asks for an explicit declaration', () => {
    const weekly = csv(['2020-01-06,1,2,0.5,1.5,1', '2020-01-13,1,2,0.5,1.5,1']);
    const d = dir({ 'W.csv': weekly, 'universe.json': JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { W: { sector: 'X' } } }) });
    expect(message(() => loadUniverseDir(d, opts()))).toMatch(/symbols\.W: cannot infer the bar interval of .*W\.csv: bars are 10080 min apart.*declare it/);
  });

  it('works from any cwd (paths resolved against the given cwd)', () => {
    const d = dir({ 'ACME.csv': daily, 'universe.json': JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { ACME: { sector: 'X' } } }) });
    const u = loadUniverseDir(basename(d), { ...opts(), cwd: dirname(d) });
    expect(u.loadBars('ACME', '1d').source.display).toBe(join(basename(d), 'ACME.csv'));
  });
});

/**
 * Seeded fuzzing of bar-file input through the real loader (`loadFile`, `loadBarsFromFile`, strict
 * and --repair, with and without the cache) and through `gauntlet data check` (in-process main,
 * human and --json output).
 *
 * Bases: slices of the bundled real files (S&P 500 index, AAPL/MSFT 1-minute TSV, both BTC files
 * sorted, the long-format stock set with two symbols) and generated files in every layout, time
 * kind and delimiter, whose values are known here exactly (the oracle for parsing).
 *
 * Mutations with a known answer — a bad number, a dropped or extra field, a duplicated or swapped
 * row, a bad time, high below low, a huge field, NUL and unicode in a field — must be reported at
 * the mutated line. Transformations that change nothing — BOM, CRLF, gzip, TSV, semicolons,
 * quoted or upper-case headers, trailing blank lines — must give bit-identical series. Random byte
 * mutations, splices and garbage only have to keep the contract:
 * - never an exception other than UserError, whose message starts with the file's name;
 * - every finding names the file and a line that exists; nothing is dropped without a finding;
 * - what loads is finite, positive, consistent (low ≤ open, close ≤ high) and strictly ascending in time.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { loadBarsFromFile, loadFile, type LoadedFile } from '../../src/engine/data/load.ts';
import { ROOT, STACK_FRAME, inproc, workspace } from '../research/helpers.ts';
import { mulberry32 } from '../support/mulberry32.ts';

const ws = workspace('fuzz-csv');
afterAll(() => ws.cleanup());
const dir = join(ws.dir, 'files');
mkdirSync(dir, { recursive: true });

interface Base {
  name: string;
  text: string;
  /** Field delimiter. */
  delim: string;
  /** Field index of time, prices (open high low close), volume; the Name column of a long file. */
  time: number;
  prices: number[];
  volume: number;
  name_col: number;
  /** Exact expected series of a generated base (symbol → columns), when known. */
  oracle?: Map<string, number[][]>;
}

const CASES = 3000;
const tally = { cases: 0, loaded: 0, refused: 0, expectedFindings: 0, sameAsBase: 0, cli: 0 };

// ---- bases ----------------------------------------------------------------------------------------------

const data = (p: string): Buffer => readFileSync(join(ROOT, 'data', p));
const lines = (t: string): string[] => t.split('\n').filter((l) => l !== '');

function realBases(): Base[] {
  const idx = lines(data('sp500_index_2000_2020/sp500-2000.csv').toString('utf8'));
  const aapl = lines(data('intraday/AAPL_INTRA_DAY.tsv').toString('utf8'));
  const msft = lines(data('intraday/MSFT_INTRA_DAY.tsv').toString('utf8'));
  // The BTC files are documented as unsorted (data/intraday/SOURCE.txt): sorted here, as a user would.
  const btc = (f: string): string[] => {
    const all = lines(gunzipSync(data(f)).toString('utf8'));
    return [all[0]!, ...all.slice(1, 3000).sort().slice(0, 150)];
  };
  const stocks = lines(gunzipSync(data('sp500_daily_2013_2018/all_stocks_5yr.csv.gz')).toString('utf8'));
  const aal = stocks.slice(1, 81);
  const apl = stocks.filter((l) => l.endsWith(',AAPL')).slice(0, 80);
  const plain = { time: 0, prices: [1, 2, 3, 4], name_col: -1 };
  return [
    { name: 'sp500-index', text: `${idx.slice(0, 151).join('\n')}\n`, delim: ',', ...plain, volume: 6 },
    { name: 'aapl-1m', text: `${aapl.slice(0, 151).join('\n')}\n`, delim: '\t', ...plain, volume: 5 },
    { name: 'msft-1m', text: `${msft.slice(200, 351).join('\n').replace(/^/, `${msft[0]}\n`)}\n`, delim: '\t', ...plain, volume: 5 },
    { name: 'btc-bitstamp-5m', text: `${btc('intraday/bitstamp_xbtusd_5m.csv.gz').join('\n')}\n`, delim: ',', ...plain, volume: 5 },
    { name: 'btc-bitfinex-1m', text: `${btc('intraday/bitfinex_xbtusd_1m.csv.gz').join('\n')}\n`, delim: ',', ...plain, volume: 5 },
    { name: 'stocks-long', text: `${[stocks[0]!, ...aal, ...apl].join('\n')}\n`, delim: ',', time: 0, prices: [1, 2, 3, 4], volume: 5, name_col: 6 },
  ];
}

const LAYOUTS = [
  { header: ['date', 'open', 'high', 'low', 'close', 'volume'], prices: [1, 2, 3, 4], volume: 5, name_col: -1 },
  { header: ['date', 'open', 'high', 'low', 'close', 'volume', 'Name'], prices: [1, 2, 3, 4], volume: 5, name_col: 6 },
  { header: ['date', 'open', 'high', 'low', 'close', 'adjclose', 'volume'], prices: [1, 2, 3, 4], volume: 6, name_col: -1 },
  { header: ['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'], prices: [1, 2, 3, 4], volume: 6, name_col: -1 },
  { header: ['time', 'open', 'high', 'low', 'close', 'Volume'], prices: [1, 2, 3, 4], volume: 5, name_col: -1 },
];

/** A random-walk file in a random layout / time kind / delimiter, with its exact expected columns. */
function generated(rnd: () => number, k: number): Base {
  const int = (n: number): number => Math.floor(rnd() * n);
  const L = LAYOUTS[int(LAYOUTS.length)]!;
  const delim = [',', '\t', ';'][int(3)]!;
  const timeKind = int(5); // 0 ISO date, 1 ISO date-time Z, 2 date-time with offset, 3 epoch s, 4 epoch ms
  const step = timeKind === 0 ? 86_400_000 : 60_000 * (1 + int(60));
  const symbols = L.name_col >= 0 ? ['AAA', 'BBB', 'CCC'].slice(0, 1 + int(3)) : [ONE];
  const n = 2 + int(120);
  const oracle = new Map<string, number[][]>();
  const rows: string[] = [];
  const pad = (x: number, w = 2): string => String(x).padStart(w, '0');
  const iso = (ms: number, offMin: number): string => {
    const d = new Date(ms + offMin * 60_000);
    const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    if (timeKind === 0) return base;
    const hm = `${base}${rnd() < 0.5 ? 'T' : ' '}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    if (timeKind === 1) return `${hm}Z`;
    const sign = offMin < 0 ? '-' : '+';
    return `${hm}${sign}${pad(Math.floor(Math.abs(offMin) / 60))}:${pad(Math.abs(offMin) % 60)}`;
  };
  for (const sym of symbols) {
    const cols: number[][] = [[], [], [], [], [], []];
    let t = Date.UTC(1995 + int(30), int(12), 1 + int(28));
    let price = 1 + rnd() * 500;
    for (let i = 0; i < n; i++) {
      t += step * (1 + int(3));
      const o = price;
      const c = Math.max(0.01, price * (1 + (rnd() - 0.5) * 0.04));
      const h = Math.max(o, c) * (1 + rnd() * 0.01);
      const l = Math.min(o, c) * (1 - rnd() * 0.01);
      const f = (x: number): string => x.toFixed(1 + int(6));
      const ohlc = [f(o), f(h), f(l), f(c)];
      // Rounding can cross: keep the printed values consistent, since those are what the file says.
      const [po, ph, pl, pc] = ohlc.map(Number) as [number, number, number, number];
      const hi = Math.max(po, ph, pl, pc);
      const lo = Math.min(po, ph, pl, pc);
      ohlc[1] = String(hi);
      ohlc[2] = String(lo);
      if (lo <= 0) continue;
      const vol = rnd() < 0.2 ? '0' : (rnd() * 1e6).toFixed(int(4));
      const timeText = timeKind <= 2 ? iso(t, timeKind === 2 ? (int(25) - 12) * 60 + (rnd() < 0.3 ? 30 : 0) : 0) : timeKind === 3 ? String(t / 1000) : String(t);
      const fields = new Array<string>(L.header.length).fill('');
      fields[0] = timeText;
      L.prices.forEach((p, j) => { fields[p] = ohlc[j]!; });
      if (L.volume === 6) fields[5] = ohlc[3]!; // adjclose: never read
      fields[L.volume] = vol;
      if (L.name_col >= 0) fields[L.name_col] = sym;
      rows.push(fields.join(delim));
      cols[0]!.push(t);
      cols[1]!.push(Number(ohlc[0]));
      cols[2]!.push(hi);
      cols[3]!.push(lo);
      cols[4]!.push(Number(ohlc[3]));
      cols[5]!.push(Number(vol));
      price = c;
    }
    oracle.set(sym, cols);
  }
  return { name: `generated-${k}`, text: `${[L.header.join(delim), ...rows].join('\n')}\n`, delim, time: 0, prices: L.prices, volume: L.volume, name_col: L.name_col, oracle };
}

// ---- running one case -------------------------------------------------------------------------------------

let caseNo = 0;

/** Writes the bytes under a fresh name and loads them every way; returns the strict load (or the refusal). */
function runCase(bytes: Buffer, ext: string, why: string): { file: LoadedFile | null; display: string; error: UserError | null } {
  const k = caseNo++;
  tally.cases++;
  const display = `fuzz/c${k}${ext}`;
  const path = join(dir, `c${k}${ext}`);
  writeFileSync(path, bytes);
  const label = `case ${k} (${why})`;
  let file: LoadedFile | null = null;
  let error: UserError | null = null;
  try {
    file = loadFile(path, { display, cacheDir: null });
  } catch (e) {
    if (!(e instanceof UserError)) throw new Error(`${label}: ${String(e)}`, { cause: e });
    error = e;
  }
  if (error !== null) {
    tally.refused++;
    expect(error.message.startsWith(`${display}:`), `${label}: ${error.message}`).toBe(true);
    expect(error.message, label).not.toMatch(STACK_FRAME);
    return { file, display, error };
  }
  tally.loaded++;
  const text = decoded(bytes);
  expect(file!.file, label).toBe(display);
  expectSound(file!, text, display, label);
  // --repair drops exactly the rows it lists and keeps the rest.
  const repaired = loadFile(path, { display, cacheDir: null, repair: true });
  const dropped = repaired.repairs.filter((r) => r.action === 'dropped').length;
  expect(repaired.series.reduce((a, s) => a + s.time.length, 0) + dropped, `${label}: repair`).toBe(repaired.rows);
  expectSeriesSound(repaired, label);
  for (const r of repaired.repairs) expect(r.file, label).toBe(display);
  // A one-symbol strict load refuses a file with errors, naming the first bad line.
  if (file!.layout !== 'ohlcv-long') {
    try {
      loadBarsFromFile(path, '1d', { display, cacheDir: null });
      expect(file!.errors, `${label}: loaded despite errors`).toEqual([]);
    } catch (e) {
      if (!(e instanceof UserError)) throw new Error(`${label}: ${String(e)}`, { cause: e });
      const first = file!.errors[0];
      if (first !== undefined) expect(e.message, label).toContain(`${display}:${first.line}:`);
      else expect(e.message.startsWith(`${display}:`), `${label}: ${e.message}`).toBe(true);
    }
  }
  // Through the cache: a miss then a hit, both the same as the uncached load.
  if (k % 7 === 0) {
    const cache = join(ws.dir, 'cache');
    const first = loadFile(path, { display, cacheDir: cache });
    const second = loadFile(path, { display, cacheDir: cache });
    expect(second.cache, label).toBe('hit');
    for (const c of [first, second]) {
      expect([seriesOf(c), c.errors.map((x) => [x.file, x.line, x.code])], label).toEqual([seriesOf(file!), file!.errors.map((x) => [x.file, x.line, x.code])]);
    }
  }
  return { file, display, error };
}

/** Text as the loader reads it (gzip undone), for line counting. */
function decoded(bytes: Buffer): string {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return raw.toString('latin1');
}

function expectSound(f: LoadedFile, text: string, display: string, label: string): void {
  const nLines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  // The loader's blank line: nothing but spaces, tabs and CR.
  const dataLines = text.split('\n').slice(1).filter((l) => !/^[ \t\r]*$/.test(l)).length;
  expect(f.rows, `${label}: rows`).toBe(dataLines);
  for (const i of [...f.errors, ...f.warnings]) {
    expect(i.file, label).toBe(display);
    expect(i.line, `${label}: ${i.message}`).toBeGreaterThanOrEqual(2);
    expect(i.line, `${label}: ${i.message}`).toBeLessThanOrEqual(nLines);
    expect(i.message.trim(), label).not.toBe('');
  }
  expectSeriesSound(f, label);
  // Nothing dropped silently: every row missing from the series has a finding on its line.
  const kept = f.series.reduce((a, s) => a + s.time.length, 0);
  const errorLines = new Set(f.errors.map((e) => e.line)).size;
  expect(kept, `${label}: kept rows`).toBeLessThanOrEqual(f.rows);
  expect(kept + errorLines, `${label}: rows dropped without an error`).toBeGreaterThanOrEqual(f.rows);
}

function expectSeriesSound(f: LoadedFile, label: string): void {
  for (const s of f.series) {
    for (let i = 0; i < s.time.length; i++) {
      const [t, o, h, l, c, v] = [s.time[i]!, s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!];
      const ok = Number.isFinite(t) && [o, h, l, c, v].every(Number.isFinite) && l > 0 && l <= o && o <= h && l <= c && c <= h && v >= 0
        && (i === 0 || t > s.time[i - 1]!);
      if (!ok) expect.fail(`${label}: ${s.symbol} row ${i}: t=${t} o=${o} h=${h} l=${l} c=${c} v=${v}`);
    }
  }
}

/** Columns by symbol; a one-symbol file's symbol is its file name, so it is left out there. */
const seriesOf = (f: LoadedFile): Array<[string, number[][]]> =>
  f.series.map((s) => [f.layout === 'ohlcv-long' ? s.symbol : ONE, [s.time, s.open, s.high, s.low, s.close, s.volume].map((a) => Array.from(a))]);
const ONE = '(one-symbol file)';

// ---- mutations --------------------------------------------------------------------------------------------

type Expectation = { kind: 'error-at'; line: number } | { kind: 'same' } | { kind: 'refused'; pattern: RegExp } | { kind: 'every-row'; pattern: RegExp } | { kind: 'any' };

function mutate(base: Base, rnd: () => number, m: number): { bytes: Buffer; ext: string; expect: Expectation; why: string } {
  const int = (n: number): number => Math.floor(rnd() * n);
  const ls = base.text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  const n = ls.length; // header + data lines
  const L = 2 + int(n - 1); // a data line, 1-based
  const fieldsOf = (line: number): string[] => ls[line - 1]!.split(base.delim);
  const setLine = (line: number, fields: string[]): void => { ls[line - 1] = fields.join(base.delim); };
  const out = (why: string, e: Expectation, ext = base.delim === '\t' ? '.tsv' : '.csv', text = `${ls.join('\n')}\n`): ReturnType<typeof mutate> =>
    ({ bytes: Buffer.from(text, 'latin1'), ext, expect: e, why: `${base.name}: ${why}` });
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const sameSymbol = (a: number, b: number): boolean => base.name_col < 0 || fieldsOf(a)[base.name_col] === fieldsOf(b)[base.name_col];
  switch (m) {
    case 0: { // a bad number in a price or volume field
      const f = fieldsOf(L);
      const col = pick([...base.prices, base.volume]);
      f[col] = pick(['abc', 'NaN', 'null', '1,5', '', '--1', '0x10', 'Infinity', '1e', '.', '1e999', '9'.repeat(400), '½', '1.2.3', '+-1', ' ']);
      setLine(L, f);
      return out(`bad number "${f[col]!.slice(0, 12)}" at line ${L}`, { kind: 'error-at', line: L });
    }
    case 1: { // a non-positive price or a negative volume
      const f = fieldsOf(L);
      if (rnd() < 0.5) f[pick(base.prices)] = pick(['0', '-1', '-0.0001', '0.0']);
      else f[base.volume] = pick(['-1', '-0.5', '-1e3']);
      setLine(L, f);
      return out(`non-positive value at line ${L}`, { kind: 'error-at', line: L });
    }
    case 2: { const f = fieldsOf(L); f.splice(int(f.length), 1); setLine(L, f); return out(`a field dropped at line ${L}`, { kind: 'error-at', line: L }); }
    case 3: { const f = fieldsOf(L); f.splice(int(f.length + 1), 0, '1'); setLine(L, f); return out(`a field added at line ${L}`, { kind: 'error-at', line: L }); }
    case 4: { ls.splice(L, 0, ls[L - 1]!); return out(`line ${L} duplicated`, { kind: 'error-at', line: L + 1 }); }
    case 5: { // two adjacent rows of one symbol swapped
      if (L + 1 > n || !sameSymbol(L, L + 1)) return mutate(base, rnd, 4);
      [ls[L - 1], ls[L]] = [ls[L]!, ls[L - 1]!];
      return out(`lines ${L} and ${L + 1} swapped`, { kind: 'error-at', line: L + 1 });
    }
    case 6: { // a bad time
      const f = fieldsOf(L);
      f[base.time] = pick(['', 'yesterday', '2016-13-01', '2016-02-30', '2016-01-01T25:00', '2016-01-01 12:00+99', '--', '1e5x', '2016/01/01', '٢٠١٦-٠١-٠١', '9'.repeat(400)]);
      setLine(L, f);
      return out(`bad time "${f[base.time]!.slice(0, 12)}" at line ${L}`, { kind: 'error-at', line: L });
    }
    case 7: { // high below low
      const f = fieldsOf(L);
      const [, hi, lo] = base.prices as [number, number, number, number];
      const h = Number(f[hi]);
      f[lo] = String(h * 2 + 1);
      setLine(L, f);
      return out(`high below low at line ${L}`, { kind: 'error-at', line: L });
    }
    case 8: return { ...out('BOM', { kind: 'same' }), bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base.text, 'latin1')]) };
    case 9: return out('CRLF', { kind: 'same' }, undefined, `${ls.join('\r\n')}\r\n`);
    case 10: return { ...out('gzip', { kind: 'same' }), bytes: gzipSync(Buffer.from(base.text, 'latin1')), ext: `${base.delim === '\t' ? '.tsv' : '.csv'}.gz` };
    case 11: return out('trailing blank lines', { kind: 'same' }, undefined, `${ls.join('\n')}\n\n   \n\t\n`);
    case 12: { // the header quoted or upper-cased
      const h = fieldsOf(1);
      setLine(1, rnd() < 0.5 ? h.map((x) => `"${x}"`) : h.map((x) => x.toUpperCase()));
      return out('header quoted or upper-cased', { kind: 'same' });
    }
    case 13: { // a header column missing: an unknown header, or (Name or adjclose gone) a shorter layout every row contradicts
      const h = fieldsOf(1);
      h.splice(int(h.length), 1);
      setLine(1, h);
      return out('a header column missing', { kind: 'every-row', pattern: /:1: unrecognised header/ });
    }
    case 14: { // gzip garbage: truncated or corrupted compressed bytes
      const gz = gzipSync(Buffer.from(base.text, 'latin1'));
      const bad = rnd() < 0.5 ? gz.subarray(0, 10 + int(gz.length - 20)) : Buffer.from(gz.map((b, i) => (i > 10 && i < gz.length - 8 && rnd() < 0.02 ? b ^ 0xff : b)));
      return { ...out('gzip garbage', { kind: 'any' }), bytes: Buffer.from(bad), ext: '.csv.gz' };
    }
    case 15: return { ...out('.gz name, plain content', { kind: 'refused', pattern: /the name ends in \.gz but the content is not gzip/ }), ext: '.csv.gz' };
    case 16: { // a huge field
      const f = fieldsOf(L);
      const col = pick([base.time, ...base.prices, base.volume]);
      f[col] = pick(['7', 'x', '1.', ' ']).repeat(10_000 + int(50_000));
      setLine(L, f);
      return out(`a ${f[col]!.length}-character field at line ${L}`, { kind: 'error-at', line: L });
    }
    case 17: { // NUL, control characters or unicode in a field
      const f = fieldsOf(L);
      const col = pick([base.time, ...base.prices, base.volume]);
      f[col] = `${f[col]}${pick(['\u0000', '\u0007', 'é', '€', '\u00a0'])}`;
      setLine(L, f);
      return out(`odd character in field ${col} at line ${L}`, { kind: 'error-at', line: L });
    }
    case 18: { // random byte flips, inserts and deletes
      const b = Buffer.from(base.text, 'latin1');
      const arr = Array.from(b);
      for (let i = 0, k = 1 + int(8); i < k; i++) {
        const at = int(arr.length);
        const r = rnd();
        if (r < 0.4) arr[at] = int(256);
        else if (r < 0.7) arr.splice(at, 0, int(256));
        else arr.splice(at, 1 + int(20));
      }
      return { ...out('random bytes mutated', { kind: 'any' }), bytes: Buffer.from(arr) };
    }
    case 19: return { ...out('pure garbage', { kind: 'any' }), bytes: Buffer.from(Array.from({ length: int(2000) }, () => int(256))) };
    case 20: return out('header only', { kind: 'any' }, undefined, `${ls[0]}\n`);
    case 21: return out('empty file', { kind: 'refused', pattern: /:1: the file is empty/ }, undefined, '');
    case 22: { // another delimiter
      if (ls.some((l) => l.includes('\t') && base.delim !== '\t') || ls.some((l) => l.includes(';'))) return mutate(base, rnd, 8);
      const d = base.delim === ',' ? '\t' : ',';
      return out(`delimiter ${JSON.stringify(d)}`, { kind: 'same' }, d === '\t' ? '.tsv' : '.csv', `${ls.map((l) => l.split(base.delim).join(d)).join('\n')}\n`);
    }
    default: { // rows of one base spliced into another
      const cut = int(n);
      return out(`truncated at line ${cut + 1}, garbage tail`, { kind: 'any' }, undefined, `${ls.slice(0, cut).join('\n')}\n${ls[cut]?.slice(0, int(ls[cut]!.length)) ?? ''}`);
    }
  }
}
const MUTATIONS = 24;

// ---- the tests --------------------------------------------------------------------------------------------

let bases: Base[] = [];
beforeAll(() => {
  const rnd = mulberry32(0xc5f);
  bases = [...realBases(), ...Array.from({ length: 30 }, (_, k) => generated(rnd, k))];
});

describe('CSV fuzzing: every file loads soundly or is refused with a message naming it', () => {
  it('the bases load clean, and generated files give exactly the values written', () => {
    for (const b of bases) {
      const { file } = runCase(Buffer.from(b.text, 'latin1'), b.delim === '\t' ? '.tsv' : '.csv', `${b.name} as is`);
      expect(file, b.name).not.toBeNull();
      expect(file!.errors, b.name).toEqual([]);
      if (b.oracle !== undefined) {
        expect(new Map(seriesOf(file!)), b.name).toEqual(b.oracle);
      }
    }
  });

  it(`${CASES} seeded mutations`, async () => {
    const rnd = mulberry32(0xf022);
    const cliEvery = 25;
    for (let i = 0; i < CASES; i++) {
      const base = bases[i % bases.length]!;
      const m = mutate(base, rnd, Math.floor(rnd() * MUTATIONS));
      const { file, display, error } = runCase(m.bytes, m.ext, m.why);
      const label = `${display} (${m.why})`;
      switch (m.expect.kind) {
        case 'error-at':
          tally.expectedFindings++;
          expect(error, `${label}: ${error?.message}`).toBeNull();
          expect(file!.errors.map((e) => e.line), label).toContain(m.expect.line);
          break;
        case 'same': {
          tally.sameAsBase++;
          expect(error, `${label}: ${error?.message}`).toBeNull();
          expect(file!.errors, label).toEqual([]);
          const ref = loadFile(join(dir, `${base.name}.ref.csv`), { cacheDir: null, display: base.name });
          expect(seriesOf(file!), label).toEqual(seriesOf(ref));
          break;
        }
        case 'every-row':
          if (error !== null) expect(error.message, label).toMatch(m.expect.pattern);
          else expect(new Set(file!.errors.map((e) => e.line)).size, label).toBe(file!.rows);
          break;
        case 'refused':
          expect(error, `${label}: loaded, ${file?.rows} rows, errors ${JSON.stringify(file?.errors.slice(0, 3))}`).not.toBeNull();
          expect(error!.message, label).toMatch(m.expect.pattern);
          break;
        default:
          break;
      }
      // Through the command as well: exit 0 clean, 1 with findings (never 2 for a file that exists), no internal error.
      if (i % cliEvery === 0) {
        tally.cli++;
        const json = i % (2 * cliEvery) === 0;
        const r = await inproc(['data', 'check', ...(json ? ['--json'] : []), join(dir, display.slice('fuzz/'.length))], ws.env);
        expect(r.stderr, label).not.toMatch(/internal error/);
        expect(r.stderr, label).not.toMatch(STACK_FRAME);
        const clean = error === null && file!.errors.length === 0;
        expect(r.code, `${label}: ${r.stderr}`).toBe(clean ? 0 : 1);
        if (json) {
          const rep = JSON.parse(r.stdout) as { totals: { errors: number; fatal: number } };
          expect(rep.totals, label).toMatchObject({ errors: file?.errors.length ?? 0, fatal: error === null ? 0 : 1 });
        }
      }
    }
    console.log(`csv fuzz: ${JSON.stringify(tally)}`);
    expect(tally.refused).toBeGreaterThan(CASES / 20);
    expect(tally.expectedFindings).toBeGreaterThan(CASES / 3);
    expect(tally.sameAsBase).toBeGreaterThan(CASES / 8);
  }, 240_000);
});

// The "same" cases compare against the unmodified base, written once under a fixed name.
beforeAll(() => {
  for (const b of bases) writeFileSync(join(dir, `${b.name}.ref.csv`), Buffer.from(b.text, 'latin1'));
});

describe('what this fuzzer found (fixed in src/engine/data)', () => {
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const H = 'date,open,high,low,close,volume';

  it('a number too large for float64 (1e999, 400 digits) is not a number, not an Infinity price', () => {
    const f = loadFile(write('inf.csv', `${H}\n2020-01-01,1,${'9'.repeat(400)},0.5,1.5,10\n2020-01-02,1,2,0.5,1.5,1e999\n2020-01-03,1,2,0.5,1.5,10\n`), { cacheDir: null, display: 'inf.csv' });
    expect(f.errors.map((e) => [e.line, e.code])).toEqual([[2, 'not_a_number'], [3, 'not_a_number']]);
    expect(f.series[0]!.time.length).toBe(1);
  });

  it('an epoch time too large for float64 is reported, not dropped silently', () => {
    const f = loadFile(write('epoch.csv', `${H}\n1577836800,1,2,0.5,1.5,10\n${'9'.repeat(400)},1,2,0.5,1.5,10\n1578009600,1,2,0.5,1.5,10\n`), { cacheDir: null, display: 'epoch.csv' });
    expect(f.errors.map((e) => [e.line, e.code])).toEqual([[3, 'bad_time']]);
    expect(f.series[0]!.time.length + f.errors.length).toBe(f.rows);
  });

  it('--repair lists a row with an empty Name as dropped, not as moved into time order', () => {
    const f = loadFile(write('noname.csv', `${H},Name\n2020-01-01,1,2,0.5,1.5,10,A\n2020-01-02,1,2,0.5,1.5,10,\n2020-01-03,1,2,0.5,1.5,10,A\n`), { cacheDir: null, display: 'noname.csv', repair: true });
    expect(f.repairs.map((r) => [r.line, r.code, r.action])).toEqual([[3, 'empty_field', 'dropped']]);
    expect(f.series.map((s) => [s.symbol, s.time.length])).toEqual([['A', 2]]);
  });

  it('a .gz name on plain content is refused on a cache hit too, as it is cold', () => {
    const text = `${H}\n2020-01-01,1,2,0.5,1.5,10\n`;
    const cache = join(ws.dir, 'gz-cache');
    expect(loadFile(write('plain.csv', text), { cacheDir: cache }).cache).toBe('miss');
    expect(() => loadFile(write('plain.csv.gz', text), { cacheDir: cache })).toThrow(/the name ends in \.gz but the content is not gzip/);
  });
});

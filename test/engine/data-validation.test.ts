import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { checkData } from '../../src/engine/data/check.ts';
import { loadBarsFromFile, loadFile, type LoadedFile } from '../../src/engine/data/load.ts';
import { STOCKS, rawStockRows, stockLine, stockRowAt, tempDir, writeTemp } from './data-helpers.ts';

const noCache = { cacheDir: null } as const;

// One problem per line; the expected line numbers count the header as line 1.
const BAD = [
  'date,open,high,low,close,volume',  // 1
  '2020-01-01,10,11,9,10.5,100',      // 2  ok
  '2020-01-02,,11,9,10.5,100',        // 3  empty open
  '2020-01-03,10,11,9,NaN,100',       // 4  close not a number
  '2020-01-06,10,9,11,10,100',        // 5  high < low
  '2020-01-07,12,11,9,10,100',        // 6  open above high
  '2020-01-08,10,11,9,8,100',         // 7  close below low
  '2020-01-09,0,11,0,10,100',         // 8  open and low not positive
  '2020-01-10,10,11,9,10,-5',         // 9  negative volume
  '2020-01-14,10,11,9,10,0',          // 10 ok (volume 0 is fine)
  '2020-01-13,10,11,9,10,5',          // 11 out of order (after 01-14)
  '2020/01/15,10,11,9,10,5',          // 12 unparseable time
  '2020-01-14,10,11,9,10,7',          // 13 duplicate of line 10
  '2020-01-16,10,11,9,10',            // 14 wrong field count
  '2020-01-17,10,11,9,10,1',          // 15 ok
].join('\n');

const EXPECTED: [number, string][] = [
  [3, 'empty_field'], [4, 'not_a_number'], [5, 'high_below_low'], [6, 'open_outside_range'],
  [7, 'close_outside_range'], [8, 'non_positive_price'], [9, 'negative_volume'], [11, 'out_of_order'],
  [12, 'bad_time'], [13, 'duplicate_time'], [14, 'field_count'],
];

describe('row validation', () => {
  let file: string;
  beforeAll(() => { file = writeTemp(tempDir(), 'bad.csv', BAD); });

  it('reports every bad row with its line and problem, not just the first', () => {
    const f = loadFile(file, noCache);
    expect(f.errors.map((e) => [e.line, e.code])).toEqual(EXPECTED);
    expect(f.errors.every((e) => e.file === file)).toBe(true);
    const msg = Object.fromEntries(f.errors.map((e) => [e.line, e.message]));
    expect(msg[3]).toBe('open is empty');
    expect(msg[4]).toBe('close "NaN" is not a number');
    expect(msg[5]).toBe('high 9 < low 11');
    expect(msg[6]).toBe('open 12 outside [low 9, high 11]');
    expect(msg[7]).toBe('close 8 outside [low 9, high 11]');
    expect(msg[8]).toBe('open 0 is not a positive price; low 0 is not a positive price');
    expect(msg[9]).toBe('volume -5 is negative');
    expect(msg[11]).toMatch(/time 2020-01-13 is earlier than line 10 \(2020-01-14\)/);
    expect(msg[12]).toMatch(/date "2020\/01\/15" is not a valid time/);
    expect(msg[13]).toBe('duplicate time 2020-01-14 (same as line 10)');
    expect(msg[14]).toBe('expected 6 fields like the header, found 5');
  });

  it('a strict load refuses the file with file:line: problem for each row', () => {
    expect(() => loadBarsFromFile(file, '1d', noCache)).toThrow(UserError);
    try {
      loadBarsFromFile(file, '1d', noCache);
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain(`${file}: 11 bad rows; nothing was loaded`);
      for (const [line] of EXPECTED) expect(m).toContain(`${file}:${line}: `);
      expect(m).toContain('--repair');
      expect(m).not.toMatch(/\bat .*\.ts:\d+/); // no stack
    }
  });

  it('repair drops (or re-orders) and reports every row; nothing silent', () => {
    const r = loadBarsFromFile(file, '1d', { ...noCache, repair: true });
    expect(r.repairs.map((e) => [e.line, e.code, e.action])).toEqual(EXPECTED.map(([l, c]) => [l, c, c === 'out_of_order' ? 'reordered' : 'dropped']));
    // Kept: lines 2, 10, 11 (moved into place), 15 — hand-sorted by date.
    expect([...r.bars.time].map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2020-01-01', '2020-01-13', '2020-01-14', '2020-01-17']);
    expect([...r.bars.volume]).toEqual([100, 5, 0, 1]);
    // Every data row is either kept or listed as dropped.
    const dropped = r.repairs.filter((e) => e.action === 'dropped').length;
    expect(r.bars.time.length + dropped).toBe(14);
  });

  it('caps the printed list at 20 with "… and N more"', () => {
    const rows = ['date,open,high,low,close,volume'];
    for (let i = 1; i <= 25; i++) rows.push(`2020-02-${String(i).padStart(2, '0')},1,1,2,1,1`);
    const f = writeTemp(tempDir(), 'many.csv', rows.join('\n'));
    try {
      loadBarsFromFile(f, '1d', noCache);
      expect.unreachable();
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain('25 bad rows');
      expect(m).toContain(`${f}:21: `);
      expect(m).not.toContain(`${f}:22: `);
      expect(m).toContain('… and 5 more');
    }
  });

  it('unsorted input: strict reports each inversion; sort (declared sources) orders silently but still fails duplicates', () => {
    const txt = 'date,open,high,low,close,volume\n2020-01-03,1,1,1,1,1\n2020-01-01,1,1,1,1,1\n2020-01-02,1,1,1,1,1\n2020-01-02,1,1,1,1,2\n';
    const f = writeTemp(tempDir(), 'u.csv', txt);
    const strict = loadFile(f, noCache);
    expect(strict.errors.map((e) => [e.line, e.code])).toEqual([[3, 'out_of_order'], [5, 'duplicate_time']]);
    const sorted = loadFile(f, { ...noCache, sort: true });
    expect(sorted.errors.map((e) => [e.line, e.code])).toEqual([[5, 'duplicate_time']]);
    expect(sorted.sorted).toBe(1);
    expect([...sorted.series[0]!.time].map((t) => new Date(t).getUTCDate())).toEqual([1, 2, 3]);
  });

  it('a broken row never gets a good row with the same time dropped as its duplicate', () => {
    const f = writeTemp(tempDir(), 'd.csv', 'date,open,high,low,close,volume\n2020-01-01,,1,1,1,1\n2020-01-01,1,1,1,1,1\n');
    const r = loadBarsFromFile(f, '1d', { ...noCache, repair: true });
    expect(r.repairs.map((e) => [e.line, e.code])).toEqual([[2, 'empty_field']]);
    expect(r.bars.time.length).toBe(1);
  });
});

describe('the bundled stock set', () => {
  let strict: LoadedFile;
  beforeAll(() => { strict = loadFile(STOCKS, noCache); });

  it('reports exactly the bad rows a naive independent scan finds, at the right lines', () => {
    // Independent: split the decompressed text, apply the rules with plain JS.
    const expected: number[] = [];
    let empty = 0;
    for (const { line, fields } of rawStockRows()) {
      const [, o, h, l, c, v] = fields;
      if ([o, h, l, c, v].some((x) => x === '')) { expected.push(line); empty++; continue; }
      const [O, H, L, C] = [o, h, l, c].map(Number) as [number, number, number, number];
      if (H < L || L > Math.min(O, C) || H < Math.max(O, C)) expected.push(line);
    }
    expect(empty).toBe(11); // SOURCE.txt: 11 rows with empty fields
    expect(strict.errors.map((e) => e.line)).toEqual(expected);
    expect(strict.errors).toHaveLength(23); // 11 empty + AOS high<low + 11 low>min(o,c)
  });

  it('names the rows SOURCE.txt lists', () => {
    const at = (sym: string, date: string) => strict.errors.find((e) => e.line === stockLine(sym, date));
    for (const [sym, date] of [['BHF', '2017-07-26'], ['DHR', '2015-07-17'], ['ES', '2015-07-17'], ['O', '2015-07-17'], ['DHR', '2016-01-12'], ['O', '2016-01-12'], ['FTV', '2016-07-01'], ['REGN', '2015-06-09'], ['UA', '2016-04-07'], ['VRTX', '2015-05-12'], ['WRK', '2015-06-26']]) {
      expect(at(sym!, date!)?.code, `${sym} ${date}`).toBe('empty_field');
      expect(at(sym!, date!)?.symbol).toBe(sym);
    }
    expect(at('AOS', '2014-05-19')?.message).toBe('high 23.595 < low 23.85');
    for (const [sym, date] of [['BBY', '2016-03-14'], ['CHD', '2014-05-19'], ['CHK', '2014-06-30'], ['DHR', '2014-11-06'], ['IP', '2014-07-01'], ['LNT', '2016-05-19'], ['O', '2014-08-27'], ['O', '2014-11-06']]) {
      expect(at(sym!, date!)?.code, `${sym} ${date}`).toMatch(/^(open|close)_outside_range$/);
    }
  });

  it('strict loads of those symbols fail with their lines; clean symbols load', () => {
    const bad = [...new Set(strict.errors.map((e) => e.symbol))];
    const cached = { cacheDir: tempDir('gauntlet-cache-') };
    for (const sym of bad) {
      let msg = '';
      try { loadBarsFromFile(STOCKS, '1d', { ...cached, symbol: sym }); } catch (e) { msg = (e as Error).message; }
      for (const e of strict.errors.filter((x) => x.symbol === sym)) expect(msg).toContain(`all_stocks_5yr.csv.gz:${e.line}: ${sym}: `);
    }
    expect(loadBarsFromFile(STOCKS, '1d', { ...cached, symbol: 'AAPL' }).bars.time.length).toBe(1259);
  });

  it('the spike check flags LNT and NWL, not spin-offs or genuine moves', () => {
    const flagged = strict.warnings.map((w) => `${w.symbol} ${stockRowAt(w.line)?.fields[0]}`);
    expect(flagged).toContain('LNT 2016-05-19');
    expect(flagged).toContain('NWL 2017-09-14');
    for (const sym of ['BAX', 'EBAY', 'NI', 'DISCA', 'DISCK', 'AMD', 'VRTX']) expect(flagged.some((f) => f.startsWith(`${sym} `)), sym).toBe(false);
    // Also flagged, correctly: FLR +26%, MPC +22%, MRO +35% on the same 2017-09-14 as NWL, each back within 1.3%
    // the next day (below SOURCE.txt's 40% listing threshold, so not in its list).
    expect(flagged.sort()).toEqual(['FLR 2017-09-14', 'LNT 2016-05-19', 'MPC 2017-09-14', 'MRO 2017-09-14', 'NWL 2017-09-14']);
    expect(strict.warnings.every((w) => w.severity === 'warning' && /suspected bad tick/.test(w.message))).toBe(true);
  });

  it('with repair, the whole set loads: 505 symbols, 619,040 rows minus each reported drop', () => {
    const r = loadFile(STOCKS, { ...noCache, repair: true });
    expect(r.series).toHaveLength(505);
    const kept = r.series.reduce((a, s) => a + s.time.length, 0);
    expect(r.repairs.every((x) => x.action === 'dropped')).toBe(true);
    expect(kept).toBe(619_040 - r.repairs.length);
    // 23 error rows + 4 bad ticks that were not already errors (LNT is both)
    expect(r.repairs).toHaveLength(27);
    expect(r.repairs.find((x) => x.symbol === 'LNT')?.codes).toEqual(['close_outside_range', 'suspected_bad_tick']);
  });

  it('checkData returns the structured report used by `gauntlet data check`', () => {
    const rep = checkData([{ path: STOCKS, display: 'stocks.csv.gz' }], noCache);
    expect(rep.ok).toBe(false);
    expect(rep.totals).toMatchObject({ files: 1, symbols: 505, rows: 619_040, errors: 23, warnings: 5, fatal: 0 });
    const lnt = rep.files[0]!.symbols.find((s) => s.symbol === 'LNT')!;
    expect(lnt).toMatchObject({ errors: 1, warnings: 1 });
    expect(rep.files[0]!.errors[0]!.file).toBe('stocks.csv.gz');
  });

  it('checkData reports an unreadable file per file instead of throwing', () => {
    const f = writeTemp(tempDir(), 'x.csv', 'foo,bar\n1,2\n');
    const rep = checkData([{ path: f }], noCache);
    expect(rep.ok).toBe(false);
    expect(rep.files[0]!.fatal).toMatch(/unrecognised header/);
  });
});

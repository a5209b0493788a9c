import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import type { Interval } from '../../src/core/intervals.ts';
import { UniverseFileSchema } from '../../src/core/universe.ts';
import { allocBars, type Bars } from '../../src/engine/data/bars.ts';
import { createRandom } from '../../src/core/random.ts';
import {
  encodeCsv, formatCsv, generateMarket, symbolLayout, writeMarket, type EdgeRequest, type SynthOptions,
} from '../../src/engine/data/synth.ts';

const tmpRoot = mkdtempSync(join(tmpdir(), 'gauntlet-synth-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = (): string => join(tmpRoot, `d${dirCount++}`);

const base: SynthOptions = { seed: 1, symbols: 6, sectors: 3, interval: '1d', days: 60, edge: { kind: 'none' } };

// ---- statistics, written here independently of the generator ----

function logReturns(close: Float64Array): Float64Array {
  const r = new Float64Array(close.length - 1);
  for (let i = 1; i < close.length; i++) r[i - 1] = Math.log(close[i]! / close[i - 1]!);
  return r;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function autocorr(r: Float64Array, lag: number): number {
  const m = mean(r);
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += (r[i]! - m) ** 2;
    if (i >= lag) num += (r[i]! - m) * (r[i - lag]! - m);
  }
  return num / den;
}

function correlation(x: Float64Array, y: Float64Array): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function bySector(m: ReturnType<typeof generateMarket>): Map<string, Bars[]> {
  const out = new Map<string, Bars[]>();
  for (const b of m.bars) {
    const s = m.universe.symbols[b.symbol]!.sector;
    out.set(s, [...(out.get(s) ?? []), b]);
  }
  return out;
}

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

// ---- tests ----

describe('layout', () => {
  it('names symbols S<sector><member> and balances sectors', () => {
    const l = symbolLayout(7, 3);
    expect(l.map((x) => x.symbol)).toEqual(['S01A', 'S01B', 'S01C', 'S02A', 'S02B', 'S03A', 'S03B']);
    expect(l.map((x) => x.sector)).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(symbolLayout(30, 1).map((x) => x.symbol).slice(25, 28)).toEqual(['S01Z', 'S01AA', 'S01AB']);
    expect(new Set(symbolLayout(1000, 99).map((x) => x.symbol)).size).toBe(1000);
  });
});

describe('determinism', () => {
  it('writes byte-identical files for the same options, different ones for another seed', async () => {
    const opts: SynthOptions = { ...base, interval: '15m', days: 15, edge: { kind: 'mean_reversion', sector: 'SEC2', strength: 0.5 } };
    const [d1, d2, d3] = [freshDir(), freshDir(), freshDir()];
    await writeMarket(d1, generateMarket(opts));
    await writeMarket(d2, generateMarket(opts));
    await writeMarket(d3, generateMarket({ ...opts, seed: 2 }));
    const f1 = filesOf(d1);
    const f2 = filesOf(d2);
    const f3 = filesOf(d3);
    expect([...f1.keys()]).toEqual(['S01A.csv', 'S01B.csv', 'S02A.csv', 'S02B.csv', 'S03A.csv', 'S03B.csv', 'universe.json']);
    for (const [name, bytes] of f1) expect(bytes.equals(f2.get(name)!), name).toBe(true);
    for (const name of f1.keys()) if (name.endsWith('.csv')) expect(f1.get(name)!.equals(f3.get(name)!), name).toBe(false);
  });

  it('keeps every symbol outside the edge sector identical when only the edge changes', () => {
    const none = generateMarket({ ...base, days: 200 });
    const mr = generateMarket({ ...base, days: 200, edge: { kind: 'mean_reversion', sector: 'SEC2', strength: 0.7 } });
    for (let i = 0; i < none.bars.length; i++) {
      const same = formatCsv(none.bars[i]!) === formatCsv(mr.bars[i]!);
      expect(same, none.bars[i]!.symbol).toBe(none.universe.symbols[none.bars[i]!.symbol]!.sector !== 'SEC2');
    }
  });
});

describe('CSV format', () => {
  it('prints exactly time,toFixed(6) prices,integer volume per line', () => {
    const bars = allocBars('X', '5m', 3);
    const t0 = Date.UTC(2021, 2, 4, 13, 30);
    const rows = [[0.000001, 0.000002, 0.000001, 0.000002, 1], [123.45, 9999999.999999, 0.1, 100, 12345678], [1, 1.000001, 0.999999, 1, 42]];
    rows.forEach((r, i) => {
      bars.time[i] = t0 + i * 300_000;
      [bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]] = r as [number, number, number, number, number];
    });
    const expected = 'time,open,high,low,close,volume\n'
      + '2021-03-04T13:30:00Z,0.000001,0.000002,0.000001,0.000002,1\n'
      + '2021-03-04T13:35:00Z,123.450000,9999999.999999,0.100000,100.000000,12345678\n'
      + '2021-03-04T13:40:00Z,1.000000,1.000001,0.999999,1.000000,42\n';
    expect(formatCsv(bars)).toBe(expected);
  });

  it('matches a toFixed-based rendering on a generated market', () => {
    for (const interval of ['1d', '1h'] as Interval[]) {
      const m = generateMarket({ ...base, interval, days: 40 });
      for (const b of m.bars) {
        const lines = ['time,open,high,low,close,volume'];
        for (let i = 0; i < b.time.length; i++) {
          const iso = new Date(b.time[i]!).toISOString();
          const t = interval === '1d' ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
          lines.push([t, b.open[i]!.toFixed(6), b.high[i]!.toFixed(6), b.low[i]!.toFixed(6), b.close[i]!.toFixed(6), String(b.volume[i]!)].join(','));
        }
        expect(Buffer.from(encodeCsv(b)).toString('latin1')).toBe(`${lines.join('\n')}\n`);
      }
    }
  });
});

describe('bars', () => {
  it('are internally consistent on every bar, on every interval of the ladder', () => {
    for (const interval of ['1m', '5m', '15m', '1h', '4h', '1d'] as Interval[]) {
      const days = interval === '1d' ? 400 : 10;
      const m = generateMarket({ ...base, interval, days, edge: { kind: 'trend', sector: 'SEC1', strength: 1 } });
      let bad = 0;
      for (const b of m.bars) {
        for (let i = 0; i < b.time.length; i++) {
          const o = b.open[i]!; const h = b.high[i]!; const l = b.low[i]!; const c = b.close[i]!; const v = b.volume[i]!;
          const onGrid = [o, h, l, c].every((x) => Math.round(x * 1e6) / 1e6 === x);
          if (!(l > 0 && l <= o && l <= c && o <= h && c <= h && v >= 1 && Number.isInteger(v) && onGrid)) bad++;
          if (i > 0 && !(b.time[i]! > b.time[i - 1]!)) bad++;
        }
      }
      expect(bad, interval).toBe(0);
    }
  });

  it('has realistic daily volatility, about 1–2 % a day, on daily and intraday bars', () => {
    const daily = generateMarket({ ...base, symbols: 10, sectors: 2, days: 1000 });
    const sd = (r: Float64Array): number => Math.sqrt(mean(r.map((x) => x * x)));
    const dailyVol = mean(daily.bars.map((b) => sd(logReturns(b.close))));
    expect(dailyVol).toBeGreaterThan(0.01);
    expect(dailyVol).toBeLessThan(0.025);
    const intra = generateMarket({ ...base, symbols: 10, sectors: 2, interval: '5m', days: 120 });
    const dayCloses = (b: Bars): Float64Array => b.close.filter((_, i) => i % 78 === 77);
    const intraVol = mean(intra.bars.map((b) => sd(logReturns(dayCloses(b)))));
    expect(intraVol).toBeGreaterThan(0.01);
    expect(intraVol).toBeLessThan(0.025);
  });
});

describe('sessions', () => {
  const perDay: Record<string, number> = { '1m': 390, '5m': 78, '15m': 26, '1h': 7, '4h': 2 };
  it('intraday bars lie inside 13:30–20:00 UTC on weekdays, the same bars every day', () => {
    for (const [interval, expected] of Object.entries(perDay)) {
      const m = generateMarket({ ...base, symbols: 2, sectors: 1, interval: interval as Interval, days: 12, start: '2020-01-04' });
      const t = m.bars[0]!.time;
      const days = new Map<string, number[]>();
      let outside = 0;
      for (const ms of t) {
        const d = new Date(ms);
        const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
        if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || minute < 13 * 60 + 30 || minute >= 20 * 60 || ms % 60_000 !== 0) outside++;
        const key = d.toISOString().slice(0, 10);
        days.set(key, [...(days.get(key) ?? []), minute]);
      }
      expect(outside, interval).toBe(0);
      expect(days.size).toBe(12);
      expect([...days.keys()][0]).toBe('2020-01-06'); // a Saturday start rolls to Monday
      const first = [...days.values()][0]!;
      expect(first.length, interval).toBe(expected);
      expect(first[0]).toBe(13 * 60 + 30);
      for (const minutes of days.values()) expect(minutes).toEqual(first);
    }
  });

  it('daily bars are dated weekdays at 00:00 UTC', () => {
    const m = generateMarket({ ...base, days: 30 });
    const t = m.bars[0]!.time;
    expect(t.length).toBe(30);
    for (const ms of t) {
      const d = new Date(ms);
      expect(ms % 86_400_000).toBe(0);
      expect([1, 2, 3, 4, 5]).toContain(d.getUTCDay());
    }
    expect(new Date(t[0]!).toISOString().slice(0, 10)).toBe('2020-01-02');
    expect(new Date(t[29]!).toISOString().slice(0, 10)).toBe('2020-02-12'); // 30 weekdays from Thu 2 Jan 2020
  });

  it('gaps overnight and has a U-shaped intraday volatility', () => {
    const m = generateMarket({ ...base, symbols: 8, sectors: 2, interval: '5m', days: 150 });
    let gapMoves = 0;
    let within = 0;
    const sq = new Float64Array(78);
    for (const b of m.bars) {
      for (let i = 1; i < b.time.length; i++) {
        const j = i % 78;
        if (j === 0) { if (b.open[i] !== b.close[i - 1]) gapMoves++; } else if (b.open[i] !== b.close[i - 1]) within++;
      }
      for (let i = 0; i < b.time.length; i++) sq[i % 78]! += Math.log(b.close[i]! / b.open[i]!) ** 2;
    }
    expect(within).toBe(0); // inside a session each bar opens at the previous close
    expect(gapMoves).toBeGreaterThan(0.95 * 8 * 149);
    const openVar = (sq[0]! + sq[1]!) / 2;
    const closeVar = (sq[76]! + sq[77]!) / 2;
    const midVar = (sq[38]! + sq[39]!) / 2;
    expect(openVar / midVar).toBeGreaterThan(2);
    expect(closeVar / midVar).toBeGreaterThan(2);
  });
});

describe('factor structure and regimes', () => {
  it('correlates returns more within a sector than across sectors', () => {
    const m = generateMarket({ ...base, symbols: 12, sectors: 3, days: 1500 });
    const rets = m.bars.map((b) => logReturns(b.close));
    const sectors = m.bars.map((b) => m.universe.symbols[b.symbol]!.sector);
    const same = new Map<string, number[]>();
    const cross: number[] = [];
    for (let i = 0; i < rets.length; i++) {
      for (let j = i + 1; j < rets.length; j++) {
        const c = correlation(rets[i]!, rets[j]!);
        if (sectors[i] === sectors[j]) same.set(sectors[i]!, [...(same.get(sectors[i]!) ?? []), c]);
        else cross.push(c);
      }
    }
    expect(mean(cross)).toBeGreaterThan(0.1); // the market factor
    expect(same.size).toBe(3);
    for (const [s, cs] of same) expect(mean(cs) - mean(cross), s).toBeGreaterThan(0.06); // the sector factor
  });

  it('switches volatility regimes: high/low tercile of rolling vol far above a constant-vol series', () => {
    const days = 2000;
    const m = generateMarket({ ...base, symbols: 10, sectors: 2, days });
    const rets = m.bars.map((b) => logReturns(b.close));
    const index = new Float64Array(days - 1);
    for (const r of rets) for (let t = 0; t < r.length; t++) index[t]! += r[t]! / rets.length;
    const terciles = (r: Float64Array): number => {
      const w = 20;
      const vols: number[] = [];
      for (let t = w; t <= r.length; t++) {
        let s = 0;
        for (let k = t - w; k < t; k++) s += r[k]! * r[k]!;
        vols.push(Math.sqrt(s / w));
      }
      vols.sort((a, b) => a - b);
      const third = Math.floor(vols.length / 3);
      return mean(vols.slice(-third)) / mean(vols.slice(0, third));
    };
    const rng = createRandom('constant vol');
    const iid = new Float64Array(days - 1).map(() => 0.01 * rng.normal());
    const ratio = terciles(index);
    expect(terciles(iid)).toBeLessThan(1.6); // sampling noise alone: about 1.4
    expect(ratio).toBeGreaterThan(1.8);
    // The reported regimes explain it: stressed days move about 1.8 / 0.6 = 3 times calm ones.
    const byRegime = [0, 1, 2].map((k) => {
      const sq: number[] = [];
      for (let t = 0; t < index.length; t++) if (m.regimes[t + 1] === k) for (const r of rets) sq.push(r[t]! * r[t]!);
      return Math.sqrt(mean(sq));
    });
    expect(m.regimes.length).toBe(days);
    expect(byRegime[2]! / byRegime[0]!).toBeGreaterThan(2.3);
    expect(byRegime[2]! / byRegime[0]!).toBeLessThan(3.7);
  });
});

describe('planted edges', () => {
  // 12 symbols in 3 sectors, a few thousand bars each; the edge sits in SEC2.
  const market = (edge: EdgeRequest, interval: Interval, days: number) =>
    generateMarket({ seed: 4, symbols: 12, sectors: 3, interval, days, edge });
  const sectorStat = (bars: Bars[], stat: (r: Float64Array) => number): number => mean(bars.map((b) => stat(logReturns(b.close))));
  const lag1 = (r: Float64Array): number => autocorr(r, 1);
  const sum5 = (r: Float64Array): number => [1, 2, 3, 4, 5].reduce((a, k) => a + autocorr(r, k), 0);

  for (const [interval, days] of [['1d', 3000], ['1h', 450]] as [Interval, number][]) {
    it(`mean reversion at strength 0.5 gives a significantly negative lag-1 autocorrelation (${interval})`, () => {
      const m = market({ kind: 'mean_reversion', sector: 'SEC2', strength: 0.5 }, interval, days);
      const none = market({ kind: 'none' }, interval, days);
      const n = m.bars[0]!.time.length - 1;
      const se = 1 / Math.sqrt(n); // of one autocorrelation under no autocorrelation
      const sectors = bySector(m);
      const edge = sectorStat(sectors.get('SEC2')!, lag1);
      expect(edge / se).toBeLessThan(-3.5);
      for (const b of sectors.get('SEC2')!) expect(lag1(logReturns(b.close)) / se, b.symbol).toBeLessThan(-1);
      for (const s of ['SEC1', 'SEC3']) expect(Math.abs(sectorStat(sectors.get(s)!, lag1)) / se, s).toBeLessThan(3);
      for (const [s, bars] of bySector(none)) expect(Math.abs(sectorStat(bars, lag1)) / se, `none ${s}`).toBeLessThan(3);
      // Close to the recorded theory: −f(1−ρ)/2 within sessions, diluted by the edge-free overnight gap.
      const params = m.universe.edge!.kind === 'mean_reversion' ? m.universe.edge!.params : {};
      expect(params.session_lag1_autocorr).toBeCloseTo(-0.125, 10);
      expect(edge).toBeGreaterThan(-0.16);
      expect(edge).toBeLessThan(-0.06);
    });

    it(`trend at strength 0.5 gives positive short-horizon autocorrelation (${interval})`, () => {
      const m = market({ kind: 'trend', sector: 'SEC2', strength: 0.5 }, interval, days);
      const none = market({ kind: 'none' }, interval, days);
      const n = m.bars[0]!.time.length - 1;
      const se5 = Math.sqrt(5 / n); // of a sum of 5 autocorrelations under no autocorrelation
      const sectors = bySector(m);
      expect(sectorStat(sectors.get('SEC2')!, lag1)).toBeGreaterThan(0);
      expect(sectorStat(sectors.get('SEC2')!, sum5) / se5).toBeGreaterThan(3.5);
      for (const s of ['SEC1', 'SEC3']) expect(Math.abs(sectorStat(sectors.get(s)!, sum5)) / se5, s).toBeLessThan(3);
      for (const [s, bars] of bySector(none)) expect(Math.abs(sectorStat(bars, sum5)) / se5, `none ${s}`).toBeLessThan(3);
    });
  }

  it('keeps the volatility of the edge sector unchanged', () => {
    const none = market({ kind: 'none' }, '1d', 2000);
    const mr = market({ kind: 'mean_reversion', sector: 'SEC2', strength: 1 }, '1d', 2000);
    const vol = (m: typeof none): number => mean(bySector(m).get('SEC2')!.map((b) => Math.sqrt(mean(logReturns(b.close).map((x) => x * x)))));
    expect(vol(mr) / vol(none)).toBeGreaterThan(0.93);
    expect(vol(mr) / vol(none)).toBeLessThan(1.07);
  });
});

describe('universe.json and the writer', () => {
  it('writes a universe.json that validates, with the edge parameters and the generation record', async () => {
    const dir = freshDir();
    const written = await writeMarket(dir, generateMarket({ ...base, symbols: 5, sectors: 2, interval: '1h', days: 5, edge: { kind: 'trend', sector: 'SEC1', strength: 0.4 } }));
    expect(written.at(-1)).toBe('universe.json');
    const u = UniverseFileSchema.parse(JSON.parse(readFileSync(join(dir, 'universe.json'), 'utf8')));
    expect(Object.keys(u.symbols)).toEqual(['S01A', 'S01B', 'S01C', 'S02A', 'S02B']);
    expect(u.symbols.S02A).toEqual({ sector: 'SEC2', market_type: 'equities', files: { '1h': 'S02A.csv' }, label: 'start' });
    expect(u.edge).toMatchObject({ kind: 'trend', sector: 'SEC1', strength: 0.4 });
    const params = u.edge!.kind === 'trend' ? u.edge!.params : {};
    expect(params.variance_share).toBeCloseTo(0.06, 12);
    expect(params.ar_coefficient).toBeCloseTo(2 ** -0.1, 12);
    expect(u.synthetic).toMatchObject({ seed: 1, symbols: 5, sectors: 2, interval: '1h', days: 5, start: '2020-01-02', version: 1 });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const csv = readFileSync(join(dir, 'S01A.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('time,open,high,low,close,volume');
    expect(csv.length).toBe(1 + 5 * 7 + 1);
    expect(csv[1]).toMatch(/^2020-01-02T13:30:00Z,\d+\.\d{6},\d+\.\d{6},\d+\.\d{6},\d+\.\d{6},\d+$/);
  });

  it('refuses a directory holding a universe or CSVs unless forced, and then drops stale files', async () => {
    const dir = freshDir();
    await writeMarket(dir, generateMarket({ ...base, symbols: 6 }));
    await expect(writeMarket(dir, generateMarket({ ...base, symbols: 3 }))).rejects.toThrow(UserError);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await writeMarket(dir, generateMarket({ ...base, symbols: 3 }), { force: true });
    expect(readdirSync(dir).sort()).toEqual(['S01A.csv', 'S02A.csv', 'S03A.csv', 'notes.txt', 'universe.json']);

    const csvOnly = freshDir();
    mkdirSync(csvOnly);
    writeFileSync(join(csvOnly, 'AAPL.csv'), 'x');
    await expect(writeMarket(csvOnly, generateMarket(base))).rejects.toThrow(/AAPL\.csv/);
    const other = freshDir();
    mkdirSync(other);
    writeFileSync(join(other, 'README'), 'x');
    await writeMarket(other, generateMarket(base));
    expect(readdirSync(other)).toContain('universe.json');
  });

  it('rejects invalid options with a UserError naming the option', () => {
    const bad: [Partial<SynthOptions>, RegExp][] = [
      [{ sectors: 7 }, /sectors/],
      [{ interval: '10m' }, /interval/],
      [{ symbols: 0 }, /symbols/],
      [{ days: 1.5 }, /days/],
      [{ seed: -1 }, /seed/],
      [{ start: '2020-02-30' }, /start/],
      [{ edge: { kind: 'trend', sector: 'SEC9', strength: 0.5 } }, /sector "SEC9"/],
      [{ edge: { kind: 'mean_reversion', sector: 'SEC1', strength: 1.5 } }, /strength/],
      [{ symbols: 1000, interval: '1m', days: 100 }, /limit/],
    ];
    for (const [patch, msg] of bad) {
      expect(() => generateMarket({ ...base, ...patch }), JSON.stringify(patch)).toThrow(UserError);
      expect(() => generateMarket({ ...base, ...patch })).toThrow(msg);
    }
  });
});

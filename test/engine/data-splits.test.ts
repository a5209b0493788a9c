/**
 * Split checks on real bars: a 3:1 split and a 1:10 reverse split planted into the bundled KO series
 * (left unadjusted, as a careless download would be) are found on their day with their ratio; the same
 * price drop without the volume change is not; over the whole bundled set (split-adjusted) the only
 * finding is the documented unadjusted NI spin-off. A confirmed split is back-adjusted on load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bars } from '../../src/engine/data/bars.ts';
import { checkData, universeTargets } from '../../src/engine/data/check.ts';
import { loadBundledUniverse, loadUniverseDir } from '../../src/engine/data/universe.ts';
import { inproc, workspace } from '../research/helpers.ts';

const ws = workspace('data-splits');
afterAll(() => ws.cleanup());
const at = (...p: string[]): string => join(ws.dir, ...p);
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
let ko: Bars;
const D = 700; // the split bar: first bar at the new price

/** KO's real bars with prices before bar D multiplied by `before` (volume divided), or after it by `after`. */
function planted(path: string, opts: { before?: number; after?: number; volume?: boolean; noVolumeColumn?: boolean }): void {
  const rows = Array.from(ko.time, (t, i) => {
    const k = i < D ? (opts.before ?? 1) : (opts.after ?? 1);
    const v = opts.volume === false ? 1 : k;
    return `${day(t)},${ko.open[i]! * k},${ko.high[i]! * k},${ko.low[i]! * k},${ko.close[i]! * k}${opts.noVolumeColumn === true ? '' : `,${ko.volume[i]! / v}`}`;
  });
  writeFileSync(path, `date,open,high,low,close${opts.noVolumeColumn === true ? '' : ',volume'}\n${rows.join('\n')}\n`);
}

beforeAll(() => {
  ko = loadBundledUniverse(undefined, { env: ws.env }).loadBars('KO', '1d').bars;
  planted(at('KO3.csv'), { before: 3 });
  planted(at('KO10.csv'), { after: 10 });
  planted(at('KOCRASH.csv'), { after: 1 / 3, volume: false });
  planted(at('KONOVOL.csv'), { before: 3, noVolumeColumn: true });
}, 60_000);

const splitsOf = (file: string): string[] =>
  checkData([{ path: at(file) }], { env: ws.env }).files[0]!.splits.map((s) => `${s.symbol}@${day(s.time)} ${s.ratio}`);

describe('likely unadjusted splits', () => {
  it('finds a planted 3:1 split on its day, and nothing else in the series', () => {
    expect(splitsOf('KO3.csv')).toEqual([`KO3@${day(ko.time[D]!)} 3:1`]);
  });

  it('finds a planted 1:10 reverse split', () => {
    expect(splitsOf('KO10.csv')).toEqual([`KO10@${day(ko.time[D]!)} 1:10`]);
  });

  it('does not flag the same −67 % move without the volume change a split brings', () => {
    expect(splitsOf('KOCRASH.csv')).toEqual([]);
  });

  it('without a volume column the price alone flags it, and says so', async () => {
    expect(splitsOf('KONOVOL.csv')).toEqual([`KONOVOL@${day(ko.time[D]!)} 3:1`]);
    const r = await inproc(['data', 'check', at('KONOVOL.csv')], ws.env);
    expect(r.stdout).toContain(`warning: KONOVOL ${day(ko.time[D]!)}: likely unadjusted 3:1 split (or another corporate action, such as a spin-off): close ${ko.close[D - 1]! * 3} → open ${ko.open[D]}, close ${ko.close[D]}; no volume column to confirm it`);
    expect(r.stdout).toContain('  no volume column: volume is NaN, and volume indicators (obv, mfi, the volume field) are refused on it');
  });

  it('over the whole bundled set: one finding, the NI spin-off its SOURCE.txt lists as unadjusted', () => {
    const r = checkData(universeTargets(loadBundledUniverse(undefined, { env: ws.env })), { env: ws.env });
    const found = r.files.flatMap((f) => f.splits.map((s) => `${s.symbol}@${day(s.time)} ${s.ratio}`));
    expect(found).toEqual(['NI@2015-07-02 5:2']);
    expect(readFileSync(join('data', 'sp500_daily_2013_2018', 'SOURCE.txt'), 'utf8')).toContain('NI 2015-07-02 (-63%, CPG)');
    expect(r.totals.splits).toBe(1);
  }, 60_000);

  it('data check prints it; --repair --split records the confirmed split and loads back-adjust it', async () => {
    const imp = await inproc(['data', 'import', at('KO3.csv'), '--out', at('u')], ws.env);
    expect(imp.code).toBe(0);
    const when = day(ko.time[D]!);
    const before = await inproc(['data', 'check', '--universe', at('u')], ws.env);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`: warning: KO3 ${when}: likely unadjusted 3:1 split (or another corporate action, such as a spin-off): close ${ko.close[D - 1]! * 3} → open ${ko.open[D]}, close ${ko.close[D]}; median volume ×`);
    expect(before.stdout).toContain('1 likely unadjusted split');

    const wrong = await inproc(['data', 'check', '--universe', at('u'), '--repair', '--split', 'KO3@2014-01-02'], ws.env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`--split KO3@2014-01-02: data check finds no likely split of KO3 on that date, so nothing was changed; the likely splits are: KO3@${when}\n`);

    const fix = await inproc(['data', 'check', '--universe', at('u'), '--repair', '--split', `KO3@${when}`], ws.env);
    expect(fix.code).toBe(0);
    expect(fix.stderr).toBe(`back-adjusted: KO3 3:1 split on ${when}: prices before it ÷ 3, volume × 3, on every load (recorded in ${at('u')}/universe.json; the file is unchanged)\n`);
    expect(fix.stdout).toContain(`KO3 ${when}: 3:1 split, confirmed: back-adjusted on load`);
    expect(fix.stdout).not.toContain('likely unadjusted split');
    expect(JSON.parse(readFileSync(at('u', 'universe.json'), 'utf8')).symbols.KO3.splits).toEqual([{ date: when, ratio: '3:1' }]);
    // Loads now give KO's real (adjusted) bars back: (x·3)/3 and (v/3)·3, to the last few ulps.
    const bars = loadUniverseDir(at('u'), { env: ws.env }).loadBars('KO3', '1d').bars;
    for (const i of [0, D - 1, D, ko.time.length - 1]) {
      expect(bars.close[i]).toBeCloseTo(ko.close[i]!, 10);
      expect(bars.open[i]).toBeCloseTo(ko.open[i]!, 10);
      expect(bars.volume[i]).toBeCloseTo(ko.volume[i]!, 4);
    }
  }, 60_000);
});

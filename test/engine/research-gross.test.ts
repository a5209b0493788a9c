/**
 * Gross beside net in research runs: the engine adapter's `gross` is the same window run at 0 fees and
 * 0 slippage. The expected figures come from compile().backtest on the slice, with the costs set here.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeriesKey } from '../../src/core/research/run.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { sliceBars, type Bars } from '../../src/engine/data/bars.ts';
import type { Universe } from '../../src/engine/data/universe.ts';
import { createEngine } from '../../src/engine/research/engine-adapter.ts';
import { loadedBars, synthBars, TEST_SPEC, tempRoot, writeUniverse } from './research-fixtures.ts';

const root = tempRoot();
afterAll(() => rmSync(root, { recursive: true, force: true }));

const N = 250;
const V = Math.floor(0.8 * N);
let universe: Universe;
let raw: Bars[];

beforeAll(() => {
  const m = synthBars(11, 2, N);
  raw = m.bars;
  universe = writeUniverse(join(root, 'u'), raw, m.sectors);
});

const key = (symbol: string): SeriesKey => ({ symbol, interval: '1d' });
const costed: Spec = { ...TEST_SPEC, execution: { fees_bps: 10, slippage_bps: 5 } };
const free: Spec = { ...TEST_SPEC, execution: { fees_bps: 0, slippage_bps: 0 } };

describe('engine adapter: gross beside net', () => {
  it('gross is the same window at 0 costs; net is the spec\'s costs; with trades, gross beats net', () => {
    const e = createEngine(universe);
    let traded = 0;
    for (const b of raw) {
      const bars = loadedBars(universe, b.symbol);
      // visible and full start at bar 0, so compile().backtest on the same slice is their run (holdout warms up on earlier bars).
      for (const [segment, from, to] of [['visible', 0, V], ['full', 0, N]] as const) {
        const run = e.backtest(costed, key(b.symbol), segment);
        const slice = sliceBars(bars, from, to);
        expect(run.metrics).toEqual(compile(costed).backtest(slice).metrics);
        expect(run.gross).toEqual(compile(free).backtest(slice).metrics);
        if (run.metrics.trades > 0) {
          traded++;
          // 15 bps per fill, two fills a trade: every trade's net return is below its gross one.
          expect(run.gross!.avg_trade_return!, `${b.symbol} ${segment}`).toBeGreaterThan(run.metrics.avg_trade_return!);
        }
      }
    }
    expect(traded, 'runs with trades, so the gross > net check ran').toBeGreaterThan(0);
  });

  it('a spec at 0 costs: gross equals net', () => {
    const run = createEngine(universe).backtest(free, key(raw[0]!.symbol), 'visible');
    expect(run.gross).toEqual(run.metrics);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { Metrics } from '../../src/core/research/run.ts';
import { createConsoleStore, type ConsoleStore } from '../../src/ui/state/store.ts';
import { draw } from './support.tsx';

/**
 * The Engine pane's gross-beside-net line, from a `run` event carrying `gross` through the store to the
 * drawn frame. The expected line is written out by hand from the metrics below.
 */

function makeStore(): ConsoleStore {
  const noop = (): void => undefined;
  return createConsoleStore({
    settings: { storePath: './.gauntlet', llm: 'offline — rules', llmMessage: null, autoApprove: null, budget: 100, color: false },
    examples: [{ label: 'a', kind: 'text', text: 'buy when rsi(2) < 10' }],
  }, { start: noop, abort: noop, close: async () => undefined, browse: noop, runDetail: noop, verify: noop, exportDossier: noop });
}

const metrics = (sharpe: number, avg: number): Metrics => ({
  total_return: 0.1, cagr: 0.05, sharpe, sortino: 1, max_drawdown: 0.2, trades: 12, trades_per_year: 6, avg_trade_return: avg, win_rate: 0.5, profit_factor: 1.5, exposure: 0.3,
});

const AAA = { symbol: 'AAA', interval: '1d' as const };
let unmount: (() => void) | null = null;
afterEach(() => { unmount?.(); unmount = null; });

function started(): ConsoleStore {
  const store = makeStore();
  const a = store.getState().actions;
  a.startIdea({ label: 'x', kind: 'text', text: 'buy when rsi(2) < 10' });
  a.receive({ event: 'session', session: 's1-1', seed: 1, budget: 100, store: '/tmp/x' });
  return store;
}

/** The run line and the lines under it, as a 100-column console draws the Engine pane after `run`. */
async function drawnRun(store: ConsoleStore, run: ResearchEvent): Promise<{ frame: string; lines: string[]; at: number }> {
  store.getState().actions.receive(run);
  const d = draw(store, { columns: 100, rows: 40 });
  unmount = () => d.instance.unmount();
  const frame = await d.waitFor((f) => f.includes('AAA@1d: 12 trades'), 5000, 'the Engine pane\'s run line');
  const lines = frame.split('\n');
  return { frame, lines, at: lines.findIndex((l) => l.includes('AAA@1d: 12 trades · DD 20.0%')) };
}

describe('Engine pane: gross beside net', () => {
  it('a run with gross metrics: the net line, and the gross line under it, both whole in a 100-column console', async () => {
    const store = started();
    // Sharpe 0.5 → "0.50", gross 0.75 → "0.75" (two decimals, as everywhere); avg 0.01 → "1.00%", gross 0.015 → "1.50%"; DD 0.2 → "20.0%".
    const { frame, lines, at } = await drawnRun(store, { event: 'run', key: AAA, segment: 'visible', metrics: metrics(0.5, 0.01), gross: metrics(0.75, 0.015), run_id: 'r1' } as ResearchEvent);
    expect(store.getState().engine.last).toEqual({ label: 'AAA@1d', metrics: metrics(0.5, 0.01), gross: metrics(0.75, 0.015) });
    expect(at, frame).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toContain('net:   Sharpe 0.50 · avg 1.00%');
    expect(lines[at + 2]).toContain('gross: Sharpe 0.75 · avg 1.50% (0 costs)');
  });

  it('a run without gross metrics (a stitched walk-forward run) shows net only', async () => {
    const store = started();
    const { frame, lines, at } = await drawnRun(store, { event: 'run', key: AAA, segment: 'visible', metrics: metrics(0.5, 0.01), run_id: 'r1' } as ResearchEvent);
    expect(store.getState().engine.last).toEqual({ label: 'AAA@1d', metrics: metrics(0.5, 0.01) });
    expect(at, frame).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toContain('Sharpe 0.50 · avg 1.00%');
    expect(frame).not.toContain('(gross');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleStore, type ConsoleStore } from '../../src/ui/state/store.ts';
import { draw } from './support.tsx';

/**
 * The Director pane's segment table and the Gates pane's registration and confirmation legs, from the
 * loop's `segments`, `registration` and `confirmation_leg` events through the store to the drawn
 * frame. Every expected line is written out by hand from the events below.
 */

function started(): ConsoleStore {
  const noop = (): void => undefined;
  const store = createConsoleStore({
    settings: { storePath: './.gauntlet', llm: 'offline — rules', llmMessage: null, autoApprove: null, budget: 100, color: false },
    examples: [{ label: 'a', kind: 'text', text: 'buy when rsi(2) < 10' }],
  }, { start: noop, abort: noop, close: async () => undefined, browse: noop, runDetail: noop, verify: noop, exportDossier: noop });
  const a = store.getState().actions;
  a.startIdea({ label: 'x', kind: 'text', text: 'buy when rsi(2) < 10' });
  a.receive({ event: 'session', session: 's1-1', seed: 1, budget: 100, store: '/tmp/x' });
  return store;
}

let unmount: (() => void) | null = null;
afterEach(() => { unmount?.(); unmount = null; });

describe('segment table and confirmation in the console', () => {
  it('the Director pane lists each segment with its t and Holm p; the narrowed scope is marked', async () => {
    const store = started();
    store.getState().actions.receive({
      event: 'segments', constrained: ['Financials'], selection_k: 11,
      table: {
        k: 2, alpha: 0.05, rows: [
          { segment: 'Energy', symbols: 2, trades: 40, clusters: 20, mean_excess: -0.001, t: -0.5, p: 0.69, p_holm: 0.69, holds: false },
          { segment: 'Financials', symbols: 3, trades: 90, clusters: 30, mean_excess: 0.004, t: 4.2, p: 0.0001, p_holm: 0.0002, holds: true },
        ],
      },
    });
    const d = draw(store, { columns: 120, rows: 40 });
    unmount = () => d.instance.unmount();
    const frame = await d.waitFor((f) => f.includes('segments · edge t'), 5000, 'the segment table');
    expect(frame).toContain('segments · edge t, Holm K = 2 · scope Financials (of 11)');
    expect(frame).toContain(`  ${'Energy'.padEnd(16)}   2 sym    40 tr  t  -0.50  p 0.6900`);
    expect(frame).toContain(`▸ ${'Financials'.padEnd(16)}   3 sym    90 tr  t   4.20  p 0.0002`);
  });

  it('the Gates pane shows the registration, then each leg as it comes in', async () => {
    const store = started();
    const a = store.getState().actions;
    a.receive({
      event: 'registration',
      registration: { seq: 41, spec_id: 'f'.repeat(64), interval: '1d', segments: ['Financials'], screened: ['AFL', 'BK'], fresh: ['C', 'JPM', 'WFC'], fresh_skipped: null, holdout_symbols: ['AFL', 'BK', 'C', 'JPM', 'WFC', 'USB'], min_t: 1.645, alpha: 0.05 },
    });
    a.receive({ event: 'confirmation_leg', leg: { leg: 'fresh', symbols: 3, trades: 120, mean_excess: 0.0021, from: '2013-02-08T00:00:00.000Z' } });
    a.receive({ event: 'confirmation_leg', leg: { leg: 'holdout', symbols: 6, trades: 95, mean_excess: -0.0004, from: '2016-03-30T00:00:00.000Z' } });
    const d = draw(store, { columns: 120, rows: 40 });
    unmount = () => d.instance.unmount();
    const frame = await d.waitFor((f) => f.includes('registered #41'), 5000, 'the registration');
    expect(frame).toContain('registered #41 · 1d · t ≥ 1.645 (α 0.05) · Financials');
    expect(frame).toContain('  fresh leg: 3 untested symbols');
    expect(frame).toContain('  holdout leg: 6 symbols from the cut date');
    // 0.0021 → 0.210 %, −0.0004 → −0.040 % (three decimals).
    expect(frame).toContain('  fresh: 3 series, 120 tr, excess 0.210% from 2013-02-08');
    expect(frame).toContain('  holdout: 6 series, 95 tr, excess -0.040% from 2016-03-30');
  });
});

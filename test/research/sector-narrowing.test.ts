import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAll } from '../../src/agents/rules/index.ts';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import { dossierMarkdown } from '../../src/core/report/dossier.ts';
import { generateMarket, writeMarket } from '../../src/engine/data/synth.ts';
import { createConsoleStore } from '../../src/ui/state/store.ts';
import { draw } from '../ui/support.tsx';
import { EDGE_IDEA, readStoreFile, researchWith, summaryOf, workspace } from './helpers.ts';

/**
 * A planted synthetic market with real sector names whose edge lives in one sector (Financials: a
 * strength-1 lag-1 mean reversion; Energy, Health Care and Utilities are noise). The session must
 * screen every sector, see Financials hold Holm's test while the pooled edge is undecided, narrow the
 * scope to it, say why in the Director pane and in the dossier, and confirm it.
 */
const ws = workspace('sector-narrowing');
afterAll(() => ws.cleanup());
const SIZES = [{ name: 'Energy', symbols: 6 }, { name: 'Financials', symbols: 6 }, { name: 'Health Care', symbols: 6 }, { name: 'Utilities', symbols: 6 }];

let events: ResearchEvent[];
let db: string;
beforeAll(async () => {
  const market = join(ws.dir, 'market');
  await writeMarket(market, generateMarket({ seed: 11, symbols: 24, sectors: 4, sectorSizes: SIZES, interval: '1d', days: 1260, edge: { kind: 'mean_reversion', sector: 'Financials', strength: 1 } }));
  db = join(ws.dir, 'db');
  events = await researchWith(EDGE_IDEA, { env: ws.env, universe: market, db, approver: approveAll });
}, 120_000);

const WHY = /^Financials holds Holm's test over the 4 segments screened; keep \d+ symbols, drop \d+\. The selection multiplies the multiple-testing N by 4$/;

describe('an edge confined to one sector of four', () => {
  it('the starter screen draws two symbols from every sector, and the draw is in the ledger', () => {
    const data = readStoreFile(db)!;
    const draw = data.ledger.find((e) => e.action === 'screen:draw')!;
    const segments = draw.payload.segments as Array<{ segment: string; symbols: string[] }>;
    expect(segments.map((s) => s.segment)).toEqual(['Energy', 'Financials', 'Health Care', 'Utilities']);
    for (const s of segments) expect(s.symbols).toHaveLength(2);
  });

  it('narrows to Financials because it alone holds Holm\'s test, and promotes after the confirmation', () => {
    const i = events.findIndex((e) => e.event === 'proposal' && e.proposal.action === 'constrain_universe');
    expect(i).toBeGreaterThan(0);
    const p = (events[i] as Extract<ResearchEvent, { event: 'proposal' }>).proposal;
    expect(p.detail).toMatchObject({ segments: ['Financials'], k: 4 });
    expect(p.justification).toMatch(WHY);
    // The table it acted on: the last segment screen before the proposal, Financials alone holding.
    const table = events.slice(0, i).filter((e): e is Extract<ResearchEvent, { event: 'segments' }> => e.event === 'segments').at(-1)!.table;
    expect(table.rows.filter((r) => r.holds).map((r) => r.segment)).toEqual(['Financials']);
    expect(table.k).toBe(4);
    expect(events.some((e) => e.event === 'note' && e.text.startsWith('scope narrowed to Financials'))).toBe(true);
    // Every symbol run after the narrowing is a Financials name (S02x in the generator's layout).
    const after = events.slice(i).filter((e): e is Extract<ResearchEvent, { event: 'run' }> => e.event === 'run' && e.segment === 'visible');
    expect(after.length).toBeGreaterThan(0);
    for (const r of after) expect(r.key.symbol.startsWith('S02')).toBe(true);
    expect(summaryOf(events).status).toBe('PROMOTED');
    expect(events.some((e) => e.event === 'registration')).toBe(true);
  });

  it('the dossier says why', () => {
    const data = readStoreFile(db)!;
    const md = dossierMarkdown(data, data.specs[0]!.id);
    // The proposals section lists the constrain_universe step with its justification.
    expect(md).toMatch(/constrain_universe[^\n]*Financials holds Holm's test over the 4 segments screened; keep \d+ symbols, drop \d+\. The selection multiplies the multiple-testing N by 4/);
  });

  it('the Director pane says why, with the segment table under it', async () => {
    const noop = (): void => undefined;
    const store = createConsoleStore({
      settings: { storePath: db, llm: 'offline — rules', llmMessage: null, autoApprove: null, budget: 1000, color: false },
      examples: [{ label: 'a', kind: 'text', text: EDGE_IDEA }],
    }, { start: noop, abort: noop, close: async () => undefined, browse: noop, runDetail: noop, verify: noop, exportDossier: noop });
    store.getState().actions.startIdea({ label: 'x', kind: 'text', text: EDGE_IDEA });
    const upTo = events.findIndex((e) => e.event === 'proposal' && e.proposal.action === 'constrain_universe');
    for (const e of events.slice(0, upTo + 1)) store.getState().actions.receive(e);
    const d = draw(store, { columns: 160, rows: 50 });
    try {
      await d.waitFor((f) => f.includes('constrain_universe'), 5000, 'the constrain proposal');
      // Zoomed, the Director pane is as wide as the console: the whole justification on its line.
      await d.press('5');
      const frame = await d.waitFor((f) => f.split('\n').filter((l) => /^─ [2-9] /.test(l)).length === 1, 5000, 'the Director pane zoomed');
      expect(frame).toContain('constrain_universe to Financials');
      expect(frame.replace(/\s+/g, ' ')).toContain('Financials holds Holm\'s test over the 4 segments screened');
      expect(frame).toContain('segments · edge t, Holm K = 4');
    } finally {
      d.instance.unmount();
    }
  });
});

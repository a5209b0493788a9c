import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAllAndPromote } from '../../src/agents/rules/index.ts';
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
  events = await researchWith(EDGE_IDEA, { env: ws.env, universe: market, db, approver: approveAllAndPromote });
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
    // After the narrowing, the screen names the selection it came from.
    const narrowed = events.slice(i).find((e): e is Extract<ResearchEvent, { event: 'segments' }> => e.event === 'segments')!;
    expect(narrowed).toMatchObject({ constrained: ['Financials'], selection_k: 4 });
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

/**
 * The same edge among the 11 GICS sectors in the bundled index's proportions: pooled over the screen,
 * the ten noise sectors drag the mean net trade under viability's 0.2 % floor (a FAIL on the pooled
 * scope), while Financials holds Holm's test. The FAIL is recorded, the kill waits for the narrowing,
 * and the narrowed scope is judged afresh.
 */
describe('a pooled FAIL while one sector of eleven holds', () => {
  const GICS: Array<[string, number]> = [
    ['Communication Services', 3], ['Consumer Discretionary', 6], ['Consumer Staples', 3], ['Energy', 3], ['Financials', 6], ['Health Care', 6],
    ['Industrials', 7], ['Information Technology', 8], ['Materials', 3], ['Real Estate', 3], ['Utilities', 2],
  ];
  let ev: ResearchEvent[];
  let db11: string;
  beforeAll(async () => {
    const market = join(ws.dir, 'gics');
    const sizes = GICS.map(([name, symbols]) => ({ name, symbols }));
    await writeMarket(market, generateMarket({ seed: 3, symbols: 50, sectors: 11, sectorSizes: sizes, interval: '1d', days: 1260, edge: { kind: 'mean_reversion', sector: 'Financials', strength: 1 } }));
    db11 = join(ws.dir, 'db11');
    ev = await researchWith(EDGE_IDEA, { env: ws.env, universe: market, db: db11, approver: approveAllAndPromote });
  }, 120_000);

  it('records the FAIL, defers the kill, narrows to Financials and judges it afresh', () => {
    const firstFail = ev.findIndex((e) => e.event === 'gate' && e.verdict.verdict === 'FAIL');
    expect(firstFail).toBeGreaterThan(0);
    const failed = (ev[firstFail] as Extract<ResearchEvent, { event: 'gate' }>).verdict;
    expect(failed.gate).toBe('viability');
    const note = ev.find((e): e is Extract<ResearchEvent, { event: 'note' }> => e.event === 'note' && e.text.includes('on the pooled scope only'))!;
    expect(note.text).toMatch(/^viability: avg_net_trade_return .* — on the pooled scope only: Financials holds Holm's test over the 11 segments screened, so narrowing the scope is offered before the verdict is final$/);
    // The next offer is the narrowing alone (and kill).
    const next = ev.slice(firstFail).filter((e): e is Extract<ResearchEvent, { event: 'proposal' }> => e.event === 'proposal')[0]!;
    expect(next.proposal.action).toBe('constrain_universe');
    expect(next.proposal.detail).toMatchObject({ segments: ['Financials'], k: 11 });
    const data = readStoreFile(db11)!;
    expect(data.gates.find((g) => g.gate === 'viability' && g.verdict === 'FAIL')).toBeDefined();
    expect(summaryOf(ev).status).toBe('PROMOTED');
  });

  it('declined, the narrowing leaves the FAIL standing: DEAD for the pooled reason', async () => {
    const market = join(ws.dir, 'gics');
    const events2 = await researchWith(EDGE_IDEA, {
      env: ws.env, universe: market, db: join(ws.dir, 'db11-veto'),
      // A person who declines the narrowing (and the offer to stop), approving everything else.
      approver: { decide: async (p) => (p.action === 'constrain_universe' || p.action === 'kill' ? { decision: 'veto', note: 'keep the whole market' } : { decision: 'approve' }) },
    });
    const s = summaryOf(events2);
    expect(s.status).toBe('DEAD');
    expect(s.reason).toMatch(/^viability: avg_net_trade_return /);
  });
});

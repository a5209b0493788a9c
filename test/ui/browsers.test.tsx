/**
 * The browsers on a store written by real research sessions: the loaders checked against
 * store.json and the artifact files (recomputed here from DESIGN §5's definitions), the
 * components checked frame by frame, and every frame checked against its width × height bound.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/core/store/store.ts';
import type { StoreData } from '../../src/core/store/schema.ts';
import {
  exportDossier, ledgerEntries, libraryRows, loadRunDetail, runRows, specRows, verifyStoreLedger, type RunDetail,
} from '../../src/ui/browsers/data.ts';
import { LedgerBrowser } from '../../src/ui/browsers/ledger-browser.tsx';
import { LibraryBrowser } from '../../src/ui/browsers/library-browser.tsx';
import { listWindow, offsetWindow } from '../../src/ui/browsers/list-window.ts';
import { RunBrowser } from '../../src/ui/browsers/run-browser.tsx';
import { SpecBrowser } from '../../src/ui/browsers/spec-browser.tsx';
import { inproc } from '../research/helpers.ts';
import { researchedStore, type ResearchedStore } from '../core/dossier-fixture.ts';

let fx: ResearchedStore;
let store: Store;
beforeAll(async () => {
  fx = await researchedStore('browsers');
  store = await openStore(fx.db, { readonly: true });
}, 180_000);
afterAll(async () => { await store?.close(); fx?.cleanup(); });

const ESC = '\u001b';

function frame(el: ReactElement): string[] {
  const r = render(el);
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f.split('\n');
}

type Metrics = { total_return: number; max_drawdown: number; trades: number; sharpe: number };
const metricsOf = (raw: StoreData, id: string): Metrics => (raw.runs.find((r) => r.id === id)!.summary as { metrics: Metrics }).metrics;

describe('list windows (hand-computed)', () => {
  it('keeps the cursor in view, centred where it can be, never past either end', () => {
    expect(listWindow(0, 10, 4)).toEqual({ start: 0, end: 4, cursor: 0 });
    expect(listWindow(5, 10, 4)).toEqual({ start: 3, end: 7, cursor: 5 });
    expect(listWindow(9, 10, 4)).toEqual({ start: 6, end: 10, cursor: 9 });
    expect(listWindow(20, 3, 5)).toEqual({ start: 0, end: 3, cursor: 2 });
    expect(listWindow(-4, 0, 5)).toEqual({ start: 0, end: 0, cursor: 0 });
  });

  it('an offset window clamps so the last page stays full', () => {
    expect(offsetWindow(5, 89, 4)).toEqual({ start: 5, end: 9 });
    expect(offsetWindow(100, 89, 4)).toEqual({ start: 85, end: 89 });
    expect(offsetWindow(-3, 2, 4)).toEqual({ start: 0, end: 2 });
  });
});

describe('browser data from a real store', () => {
  it('spec rows: every version, grouped by logic hash, children under their parent', () => {
    const rows = specRows(store.data);
    expect(rows.map((r) => r.id).sort()).toEqual(fx.raw.specs.map((s) => s.id).sort());
    expect(rows.filter((r) => r.familyStart).length).toBe(new Set(fx.raw.specs.map((s) => s.logic_hash)).size);
    for (const s of fx.raw.specs) {
      const r = rows.find((x) => x.id === s.id)!;
      expect(r.depth).toBe(s.parent === null ? 0 : 1);
      const params = (s.spec as { params: Record<string, { value: number }> }).params;
      expect(r.params).toEqual(Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.value])));
      if (s.parent !== null) expect(rows.indexOf(r)).toBe(rows.findIndex((x) => x.id === s.parent) + 1);
    }
  });

  it('run detail: equity and trades from the artifacts agree with the stored metrics (DESIGN §5)', async () => {
    const rows = runRows(store.data);
    expect(rows).toHaveLength(fx.raw.runs.length);
    for (const row of rows.slice(0, 12)) {
      const m = metricsOf(fx.raw, row.id);
      const d = await loadRunDetail(store, row);
      const e = d.equity;
      expect(e.length).toBe((fx.raw.runs.find((r) => r.id === row.id)!.summary as { bars: number }).bars);
      expect(e[e.length - 1]! / e[0]! - 1).toBeCloseTo(m.total_return, 12);
      let peak = -Infinity;
      let dd = 0;
      for (const v of e) { peak = Math.max(peak, v); dd = Math.max(dd, 1 - v / peak); }
      expect(dd).toBeCloseTo(m.max_drawdown, 12);
      expect(d.trades).toHaveLength(m.trades);
    }
  });

  it('verification: ok on the real store; the first bad entry on a tampered copy', async () => {
    expect(await verifyStoreLedger(store)).toEqual({ ok: true, entries: fx.raw.ledger.length, first_bad: null, head: null });
    const db = join(fx.dir, 'tampered');
    cpSync(fx.db, db, { recursive: true });
    const data = JSON.parse(readFileSync(join(db, 'store.json'), 'utf8')) as StoreData;
    data.ledger[7] = { ...data.ledger[7]!, payload: { ...data.ledger[7]!.payload, tampered: true } };
    writeFileSync(join(db, 'store.json'), JSON.stringify(data));
    const bad = await openStore(db, { readonly: true });
    const v = await verifyStoreLedger(bad);
    expect(v.ok).toBe(false);
    expect(v.first_bad).toMatchObject({ seq: 7, code: 'I9' });
    const lines = frame(<LedgerBrowser entries={ledgerEntries(bad.data)} cursor={7} verify={v} width={80} height={24} color={false} />);
    expect(lines[1]).toMatch(/^✗ verification FAILED at entry #7 \(I9\): hash does not match/);
    expect(lines.some((l) => l.startsWith('› ✗#7 '))).toBe(true);
  });

  it('library rows: the promotion, when it was written, and what it proved stable across', () => {
    const [row] = libraryRows(store.data);
    const lib = fx.raw.library[0]!;
    const reset = fx.raw.ledger.find((e) => e.kind === 'reset' && e.promotion_id === lib.promotion_id)!;
    expect(row).toMatchObject({ id: lib.id, spec_id: lib.spec_id, stable_across: lib.payload.stable_across, promoted_at: reset.ts, promotion_seq: reset.seq, keys: lib.payload.keys });
  });

  it('the console export writes the same dossier as `gauntlet export`', async () => {
    const id = fx.raw.library[0]!.spec_id;
    const file = join(fx.dir, 'from-console.md');
    const res = await exportDossier(store, id, file);
    const cli = await inproc(['export', id, '--db', fx.db], fx.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(cli.stdout);
    expect(res.bytes).toBe(Buffer.byteLength(cli.stdout));
  });
});

describe('browser components', () => {
  it('spec browser: versions as a tree, the highlighted one in words, and its diff against the parent', () => {
    const rows = specRows(store.data);
    const child = fx.raw.specs.find((s) => s.parent !== null)!;
    const root = fx.raw.specs.find((s) => s.id === child.parent)!;
    const cursor = rows.findIndex((r) => r.id === child.id);
    const lines = frame(<SpecBrowser rows={rows} cursor={cursor} width={80} height={20} color={false} />);
    const families = new Set(fx.raw.specs.map((s) => s.logic_hash)).size;
    expect(lines[0]).toBe(`Specs · ${families} strategies · ${fx.raw.specs.length} versions`);
    const pv = (s: typeof child): Record<string, number> => Object.fromEntries(Object.entries((s.spec as { params: Record<string, { value: number }> }).params).map(([k, p]) => [k, p.value]));
    const childParams = Object.entries(pv(child)).map(([k, v]) => `${k}=${v}`).join(' ');
    expect(lines.find((l) => l.startsWith('› '))).toMatch(new RegExp(`^› +└ ${child.id.slice(0, 8)}… +${childParams}$`));
    // EDGE_IDEA (rsi over $len) is named after its logic: first indicator, style.
    expect(lines).toContain(`── rsi-len-reversion ${child.id.slice(0, 12)}… · parent ${root.id.slice(0, 12)}… · ${child.created_at.replace('T', ' ').slice(0, 19)}`);

    const diff = frame(<SpecBrowser rows={rows} cursor={cursor} showDiff width={80} height={20} color={false} />);
    expect(diff).toContain(`── ${root.id.slice(0, 12)}… → ${child.id.slice(0, 12)}…: param-only change, same logic_hash`);
    const [a, b] = [pv(root), pv(child)];
    const changed = Object.keys(a).filter((k) => a[k] !== b[k]);
    expect(changed.length).toBeGreaterThan(0);
    for (const k of changed) expect(diff).toContain(`  params.${k}.value: ${a[k]} → ${b[k]}`);
    expect(diff).toContain(`+ parent: "${root.id}"`);
    const rootDiff = frame(<SpecBrowser rows={rows} cursor={rows.findIndex((r) => r.id === root.id)} showDiff width={80} height={20} color={false} />);
    expect(rootDiff.at(-1)).toMatch(/has no stored parent: it is the first version, nothing to diff$/);
  });

  it('run browser: metrics, the equity chart and a trade list scrolled by the offset', async () => {
    const runs = runRows(store.data);
    const cursor = runs.findIndex((r) => (r.metrics?.trades ?? 0) > 20 && (r.metrics?.sharpe ?? 0) >= 1 && r.metrics!.sharpe < 100);
    const d = await loadRunDetail(store, runs[cursor]!);
    const m = metricsOf(fx.raw, runs[cursor]!.id);
    const lines = frame(<RunBrowser runs={runs} cursor={cursor} detail={d} tradeOffset={5} width={80} height={24} color={false} />);
    expect(lines[0]).toBe(`Runs · ${fx.raw.runs.length}`);
    expect(lines.find((l) => l.startsWith('› '))).toContain(runs[cursor]!.id);
    expect(lines.some((l) => l.includes(`Sharpe ${m.sharpe.toFixed(2)}`) && l.includes(`return ${(100 * m.total_return).toPrecision(3)}%`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`equity ${runs[cursor]!.key} visible`))).toBe(true);
    expect(lines.some((l) => /[▁▂▃▄▅▆▇█]{5}/.test(l))).toBe(true);
    const title = lines.findIndex((l) => l.startsWith('trades 6–'));
    expect(lines[title]).toMatch(new RegExp(`^trades 6–\\d+ of ${m.trades}$`));
    const t = d.trades![5]!;
    expect(lines[title + 1]).toMatch(new RegExp(`^#6 +${t.side} +.* ${t.ret! >= 0 ? '\\+' : '-'}${Math.abs(100 * t.ret!).toFixed(2)}%$`));
    // Past the end, the list still shows a full last page ending at the last trade.
    const end = frame(<RunBrowser runs={runs} cursor={cursor} detail={d} tradeOffset={1e6} width={80} height={24} color={false} />);
    expect(end.at(-1)).toMatch(new RegExp(`^#${m.trades} `));
    const loading = frame(<RunBrowser runs={runs} cursor={cursor} detail={null} tradeOffset={0} width={80} height={24} color={false} />);
    expect(loading.at(-1)).toBe('loading equity and trades…');
    const old: RunDetail = { ...d, trades: null };
    expect(frame(<RunBrowser runs={runs} cursor={cursor} detail={old} tradeOffset={0} width={80} height={24} color={false} />).at(-1))
      .toBe('trades: not stored for this run (written before trades were kept)');
  });

  it('ledger browser: the verify line and the highlighted entry in full', async () => {
    const entries = ledgerEntries(store.data);
    const before = frame(<LedgerBrowser entries={entries} cursor={3} verify={null} width={80} height={24} color={false} />);
    expect(before[1]).toBe('not verified yet (v verifies the chain and the balances)');
    const v = await verifyStoreLedger(store);
    const lines = frame(<LedgerBrowser entries={entries} cursor={3} verify={v} width={80} height={24} color={false} />);
    expect(lines[0]).toBe(`Ledger · ${fx.raw.ledger.length} entries`);
    expect(lines[1]).toBe(`✓ verified: ${fx.raw.ledger.length} entries, hash chain intact, balances add up`);
    const e = fx.raw.ledger[3]!;
    expect(lines.find((l) => l.startsWith('› '))).toMatch(new RegExp(`^› #3 +${e.ts.slice(11, 19)} +${e.session} +${e.kind} +${e.action} .* ${e.balance} +${e.hash.slice(0, 8)}$`));
    expect(lines).toContain(`── #3 ${e.kind} ${e.action} · hash ${e.hash.slice(0, 16)}… · prev ${e.prev.slice(0, 16)}…`);
  });

  it('library browser: promoted candidates with stable_across, spec id and promotion date', () => {
    const rows = libraryRows(store.data);
    const lib = fx.raw.library[0]!;
    const reset = fx.raw.ledger.find((e) => e.kind === 'reset' && e.promotion_id === lib.promotion_id)!;
    const lines = frame(<LibraryBrowser rows={rows} cursor={0} width={80} height={24} color={false} />);
    expect(lines[0]).toBe('Candidate library · 1 promoted');
    const stable = String(lib.payload.stable_across);
    expect(lines[1]).toMatch(new RegExp(`^› rsi-len-reversion +${lib.spec_id.slice(0, 8)} +${reset.ts.replace('T', ' ').slice(0, 16)} +${stable.replace(/[.+()*?[\]{}|^$\\]/g, '\\$&')}$`));
    expect(lines).toContain(`stable across ${stable}`);
    expect(lines.some((l) => l.includes(`(ledger #${reset.seq}) · ${lib.promotion_id}`))).toBe(true);
  });

  it('every browser stays inside width × height (80×24 and smaller) and prints no escape codes with colour off', async () => {
    const runs = runRows(store.data);
    const detail = await loadRunDetail(store, runs[0]!);
    const verify = await verifyStoreLedger(store);
    const empty = { specs: [], ledger: [], proposals: [], decisions: [], runs: [], gates: [], reviews: [], library: [], sessions: [] };
    const views = (w: number, h: number): Array<[string, ReactElement]> => [
      ['specs', <SpecBrowser rows={specRows(store.data)} cursor={2} width={w} height={h} color={false} />],
      ['spec diff', <SpecBrowser rows={specRows(store.data)} cursor={1} showDiff width={w} height={h} color={false} />],
      ['runs', <RunBrowser runs={runs} cursor={0} detail={detail} tradeOffset={3} width={w} height={h} color={false} />],
      ['ledger', <LedgerBrowser entries={ledgerEntries(store.data)} cursor={50} verify={verify} width={w} height={h} color={false} />],
      ['library', <LibraryBrowser rows={libraryRows(store.data)} cursor={0} width={w} height={h} color={false} />],
      ['empty specs', <SpecBrowser rows={specRows(empty)} cursor={0} width={w} height={h} color={false} />],
      ['empty runs', <RunBrowser runs={[]} cursor={0} detail={null} tradeOffset={0} width={w} height={h} color={false} />],
      ['empty ledger', <LedgerBrowser entries={[]} cursor={0} verify={null} width={w} height={h} color={false} />],
      ['empty library', <LibraryBrowser rows={[]} cursor={0} width={w} height={h} color={false} />],
    ];
    for (const [w, h] of [[80, 24], [80, 17], [80, 8], [80, 3], [80, 1], [100, 30], [60, 12]] as const) {
      for (const [name, el] of views(w, h)) {
        const lines = frame(el);
        expect(lines.length, `${name} at ${w}×${h}`).toBeLessThanOrEqual(h);
        for (const l of lines) expect(l.length, `${name} at ${w}×${h}: "${l}"`).toBeLessThanOrEqual(w);
        expect(lines.join('\n')).not.toContain(ESC);
      }
    }
    // With more to show than fits, the run and ledger browsers use all 24 lines (the bound is not met by drawing less).
    for (const [name, el] of views(80, 24).filter(([n]) => n === 'runs' || n === 'ledger')) expect(frame(el).length, name).toBe(24);
  });
});

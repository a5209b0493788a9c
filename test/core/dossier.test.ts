/**
 * The dossier against a store written by real research sessions. Every expected value is
 * recomputed here from store.json and the artifact files as they are on disk (plain JSON and
 * node:crypto, no store or report code), then looked for in the Markdown.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { buildDossier, dossierMarkdown } from '../../src/core/report/dossier.ts';
import { resolveSpec, versionTree, type StoreView } from '../../src/core/report/family.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import type { SpecRecord, StoreData } from '../../src/core/store/schema.ts';
import { researchedStore, type ResearchedStore } from './dossier-fixture.ts';

let fx: ResearchedStore;
beforeAll(async () => { fx = await researchedStore('dossier'); }, 180_000);
afterAll(() => fx?.cleanup());

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** The family of the promoted strategy, found from the raw JSON: the library entry's spec and its logic hash. */
function edgeFamily(raw: StoreData): { lh: string; ids: Set<string>; sessions: Set<string>; root: SpecRecord; child: SpecRecord } {
  const lib = raw.library[0]!;
  const lh = raw.specs.find((s) => s.id === lib.spec_id)!.logic_hash;
  const specs = raw.specs.filter((s) => s.logic_hash === lh);
  const ids = new Set(specs.map((s) => s.id));
  const sessions = new Set(raw.sessions.filter((s) => s.spec_id !== null && ids.has(s.spec_id)).map((s) => s.id));
  return { lh, ids, sessions, root: specs.find((s) => s.parent === null)!, child: specs.find((s) => s.parent !== null)! };
}

/** The lines of the `## title` section. */
function section(md: string, title: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## ${title}`));
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** Cells of a Markdown table row (escaped pipes kept inside their cell). */
const cells = (row: string): string[] => row.slice(2, -2).split(/(?<!\\) \| /);

const close = (shown: string, value: number): boolean => {
  const x = Number(shown);
  return Number.isFinite(x) && Math.abs(x - value) <= Math.max(1e-9, Math.abs(value) * 6e-3);
};

describe('dossier of a promoted strategy (real sessions)', () => {
  it('the store has what the test needs: a promotion, two versions, many trials, a second strategy', () => {
    const f = edgeFamily(fx.raw);
    expect(f.ids.size).toBe(2);
    // The spec as written, then the optimiser's batch.
    expect(fx.raw.ledger.filter((e) => e.kind === 'trial' && e.payload.logic_hash === f.lh).length).toBeGreaterThan(20);
    expect(new Set(fx.raw.specs.map((s) => s.logic_hash)).size).toBe(2);
  });

  it('lists every trial of the family, with its seq, params and Sharpe', () => {
    const f = edgeFamily(fx.raw);
    const trials = fx.raw.ledger.filter((e) => e.kind === 'trial' && e.payload.logic_hash === f.lh);
    const md = dossierMarkdown(fx.raw, f.root.id.slice(0, 10));
    const sec = section(md, 'Trials');
    expect(sec[0]).toBe(`## Trials (${trials.length})`);
    const rows = sec.filter((l) => /^\| \d+ \| /.test(l)).map(cells);
    expect(rows.map((r) => Number(r[0]))).toEqual(trials.map((t) => t.seq));
    rows.forEach((r, i) => {
      const t = trials[i]!;
      const params = Object.entries(t.payload.params as Record<string, number>).map(([k, v]) => `${k}=${v}`).join(' ');
      expect(r[1]).toBe(t.session);
      expect(r[2]).toBe(t.payload.source);
      expect(r[3]).toBe(params === '' ? '(no params)' : params);
      expect(close(r[4]!, t.payload.sharpe as number), `trial #${t.seq}: ${r[4]} vs ${String(t.payload.sharpe)}`).toBe(true);
    });
    // The summary counts per source add up to the same total.
    const bySource = new Map<string, number>();
    for (const t of trials) bySource.set(t.payload.source as string, (bySource.get(t.payload.source as string) ?? 0) + 1);
    for (const [src, n] of bySource) expect(sec).toContain(sec.find((l) => l.startsWith(`| ${src} | ${n} | `)));
  });

  it('shows every gate record of the family with each measured value, threshold and result', () => {
    const f = edgeFamily(fx.raw);
    const gates = fx.raw.gates.filter((g) => f.ids.has(g.spec_id));
    const sec = section(dossierMarkdown(fx.raw, f.child.id), 'Gates');
    const heads = sec.filter((l) => l.startsWith('### '));
    expect(heads).toHaveLength(gates.length);
    let at = 0;
    gates.forEach((g, i) => {
      expect(heads[i]).toContain(`### ${g.gate}: ${g.verdict} (${g.config_version}; ${g.session}, version \`${g.spec_id.slice(0, 12)}\``);
      at = sec.indexOf(heads[i]!, at);
      const checks = (g.measured as { checks: Array<{ name: string; value: number | null; threshold: number; op: string; verdict: string }> }).checks;
      const rows = sec.slice(at + 1).filter((l) => l.startsWith('| ') && !l.startsWith('| check')).slice(0, checks.length).map(cells);
      checks.forEach((c, k) => {
        const r = rows[k]!;
        expect(r[0]).toBe(c.name);
        if (c.value === null) expect(r[1]).toBe('unmeasured');
        else expect(close(r[1]!, c.value), `${g.gate}.${c.name}: ${r[1]} vs ${c.value}`).toBe(true);
        // A threshold of the smallest double is "> 0".
        if (c.threshold === Number.MIN_VALUE) expect([r[2], r[3]]).toEqual(['>', '0']);
        else {
          expect(r[2]).toBe(c.op === '>=' ? '≥' : '≤');
          expect(close(r[3]!, c.threshold)).toBe(true);
        }
        expect(r[4]).toBe(c.verdict);
      });
    });
    expect(gates.some((g) => g.gate === 'confirmation')).toBe(true);
  });

  it('lists every proposal with its decision and what the ledger charged; credits spent add up', () => {
    const f = edgeFamily(fx.raw);
    const props = fx.raw.proposals.filter((p) => p.spec_id !== null && f.ids.has(p.spec_id));
    const md = dossierMarkdown(fx.raw, f.root.id);
    const rows = section(md, 'Decisions').filter((l) => /^\| s\d/.test(l)).map(cells);
    expect(rows).toHaveLength(props.length);
    props.forEach((p, i) => {
      const d = fx.raw.decisions.find((x) => x.proposal_id === p.id)!;
      const charged = d.ledger_seq === null ? 0 : fx.raw.ledger[d.ledger_seq]!.cost;
      expect(rows[i]!.slice(0, 10)).toEqual([p.id, p.session, p.action, String(p.quantity), String(p.cost), d.decision, d.by, d.note ?? '—', d.ledger_seq === null ? '—' : `#${d.ledger_seq}`, String(charged)]);
    });
    const spent = fx.raw.ledger.filter((e) => f.sessions.has(e.session) && e.kind === 'spend').reduce((a, e) => a + e.cost, 0);
    expect(spent).toBeGreaterThan(0);
    expect(md).toContain(`| credits spent | ${spent} |`);
  });

  it('the canonical JSON block hashes to the spec id; versions form the parent tree', () => {
    const f = edgeFamily(fx.raw);
    for (const rec of [f.root, f.child]) {
      const md = dossierMarkdown(fx.raw, rec.id.slice(0, 8));
      const lines = md.split('\n');
      const open = lines.indexOf('```json', lines.indexOf('### Canonical JSON'));
      expect(sha256(lines[open + 1]!)).toBe(rec.id);
      const versions = section(md, 'Versions').filter((l) => l.startsWith('| `') || l.startsWith('| └') || l.startsWith('| ·'));
      expect(versions).toHaveLength(2);
      expect(versions[0]).toContain(`\`${f.root.id.slice(0, 12)}\``);
      expect(versions[1]).toMatch(new RegExp(`^\\| └ \`${f.child.id.slice(0, 12)}\`.* \\| ${f.root.id.slice(0, 12)} \\|`));
      expect(versions[rec === f.root ? 0 : 1]).toContain('◀');
    }
  });

  it('the ledger excerpt covers exactly the sessions of the family, with hash prefixes, and the chain verifies', () => {
    const f = edgeFamily(fx.raw);
    const own = fx.raw.ledger.filter((e) => f.sessions.has(e.session));
    const sec = section(dossierMarkdown(fx.raw, f.root.id), 'Ledger excerpt');
    const seen: number[] = [];
    for (const r of sec.filter((l) => l.startsWith('| #')).map(cells)) {
      const m = /^#(\d+)(?:–#(\d+))?$/.exec(r[0]!)!;
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      for (let s = a; s <= b; s++) seen.push(s);
      const last = fx.raw.ledger[b]!;
      expect(r[8]).toBe(`\`${last.hash.slice(0, 12)}\``);
      expect(r[9]).toBe(`\`${fx.raw.ledger[a]!.prev.slice(0, 12)}\``);
      if (b > a) expect(fx.raw.ledger.slice(a, b + 1).every((e: LedgerEntry) => e.kind === 'trial')).toBe(true);
    }
    expect(seen).toEqual(own.map((e) => e.seq));
    expect(sec.join('\n')).toContain(`Chain: verified: ${fx.raw.ledger.length} entries, hash chain intact, balances add up.`);
  });

  it('leaves the other strategy out, and any version of a family gives the same family', () => {
    const f = edgeFamily(fx.raw);
    const other = fx.raw.specs.find((s) => s.logic_hash !== f.lh)!;
    const otherSession = fx.raw.sessions.find((s) => s.spec_id === other.id)!.id;
    const a = buildDossier(fx.raw, f.root.id);
    const b = buildDossier(fx.raw, f.child.id.slice(0, 6));
    expect(b.trials).toEqual(a.trials);
    expect(b.gates).toEqual(a.gates);
    expect(b.spec_id).toBe(f.child.id);
    expect(a.sessions.map((s) => s.id)).not.toContain(otherSession);
    expect(dossierMarkdown(fx.raw, f.root.id)).not.toContain(`| ${otherSession} |`);
    const o = buildDossier(fx.raw, other.id);
    expect(o.trials.length).toBe(fx.raw.ledger.filter((e) => e.kind === 'trial' && e.payload.logic_hash === other.logic_hash).length);
    expect(o.promotions).toEqual([]);
    expect(dossierMarkdown(fx.raw, other.id)).toContain('_not promoted_');
  });

  it('shows the promotion: library entry, stable_across and the ledger reset that recorded it', () => {
    const lib = fx.raw.library[0]!;
    const reset = fx.raw.ledger.find((e) => e.kind === 'reset' && e.promotion_id === lib.promotion_id)!;
    const rows = section(dossierMarkdown(fx.raw, lib.spec_id), 'Promotion').filter((l) => l.startsWith(`| ${lib.id}`)).map(cells);
    expect(rows).toEqual([[lib.id, lib.session, `\`${lib.spec_id.slice(0, 12)}\``, lib.added_at, lib.promotion_id, lib.payload.stable_across, `#${reset.seq}`]]);
  });

  it('a tampered ledger shows in the verification result, naming the first bad entry', () => {
    const tampered = structuredClone(fx.raw);
    const victim = tampered.ledger[4]!;
    tampered.ledger[4] = { ...victim, action: `${victim.action}-edited` };
    const d = buildDossier(tampered, fx.raw.specs[0]!.id);
    expect(d.verify.ok).toBe(false);
    expect(d.verify.first_bad?.seq).toBe(4);
    expect(dossierMarkdown(tampered, fx.raw.specs[0]!.id)).toContain('FAILED verification: entry #4');
  });

  it('the trades artifact of every run agrees with the metrics the engine stored (DESIGN §5)', () => {
    const runs = fx.raw.runs;
    expect(runs.length).toBeGreaterThan(10);
    for (const r of runs) {
      const ref = (r.artifacts as { trades?: { hash: string } }).trades!;
      const bytes = readFileSync(join(fx.db, 'artifacts', ref.hash.slice(0, 2), `${ref.hash}.json`));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(ref.hash);
      const t = JSON.parse(bytes.toString('utf8')) as { count: number; side: number[]; entry_time: number[]; exit_time: number[]; ret: number[] };
      const m = (r.summary as { metrics: { trades: number; avg_trade_return: number; win_rate: number; profit_factor: number | null } }).metrics;
      expect(t.count).toBe(m.trades);
      for (const col of [t.side, t.entry_time, t.exit_time, t.ret]) expect(col).toHaveLength(t.count);
      if (t.count === 0) continue;
      const mean = t.ret.reduce((a, x) => a + x, 0) / t.count;
      expect(mean).toBeCloseTo(m.avg_trade_return, 12);
      expect(t.ret.filter((x) => x > 0).length / t.count).toBeCloseTo(m.win_rate, 12);
      const wins = t.ret.filter((x) => x > 0).reduce((a, x) => a + x, 0);
      const losses = -t.ret.filter((x) => x < 0).reduce((a, x) => a + x, 0);
      if (m.profit_factor !== null) expect(wins / losses).toBeCloseTo(m.profit_factor, 9);
      for (let k = 0; k < t.count; k++) expect(t.exit_time[k]!).toBeGreaterThanOrEqual(t.entry_time[k]!);
    }
  });
});

describe('resolving a spec id', () => {
  const rec = (id: string): SpecRecord => ({ id, logic_hash: 'a'.repeat(64), params_hash: 'b'.repeat(64), parent: null, created_at: '2026-01-01T00:00:00.000Z', spec: {} });
  const view = (ids: string[]): StoreView => ({ specs: ids.map(rec), ledger: [], proposals: [], decisions: [], runs: [], gates: [], reviews: [], library: [], sessions: [] });
  const ids = [`abcd1${'0'.repeat(59)}`, `abcd2${'0'.repeat(59)}`, `ef01${'0'.repeat(60)}`];

  it('takes a full id or a unique prefix of 4+ hex digits, case-insensitively', () => {
    expect(resolveSpec(view(ids), 'EF01').id).toBe(ids[2]);
    expect(resolveSpec(view(ids), 'abcd2').id).toBe(ids[1]);
    expect(resolveSpec(view(ids), ids[0]!).id).toBe(ids[0]);
  });

  it('refuses ambiguous, unknown and malformed ids with exit code 2 and a message saying what to do', () => {
    const err = (q: string): UserError => {
      try { resolveSpec(view(ids), q); } catch (e) { return e as UserError; }
      throw new Error(`${q} resolved`);
    };
    expect(err('abcd')).toBeInstanceOf(UserError);
    expect(err('abcd').exitCode).toBe(2);
    expect(err('abcd').message).toMatch(/ambiguous: it matches 2 specs \(abcd10000000, abcd20000000\); give more digits/);
    expect(err('9999').message).toMatch(/no spec 9999 in this store \(3 specs stored\)/);
    expect(err('ab').message).toMatch(/at least 4 hex digits/);
    expect(err('xyz!').message).toMatch(/is not a spec id/);
  });

  it('versionTree walks parents depth-first and treats an unknown parent as a root', () => {
    const h = (c: string): string => c.repeat(64);
    const mk = (id: string, parent: string | null): SpecRecord => ({ ...rec(id), parent });
    const tree = versionTree([mk(h('1'), null), mk(h('2'), h('1')), mk(h('3'), h('1')), mk(h('4'), h('2')), mk(h('5'), h('9'))]);
    expect(tree.map((n) => [n.record.id[0], n.depth])).toEqual([['1', 0], ['2', 1], ['4', 2], ['3', 1], ['5', 0]]);
  });
});

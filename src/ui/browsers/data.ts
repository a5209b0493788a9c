/**
 * What the browsers show, read from an open store. Loading lives here and rendering in the
 * components, so the components stay pure (props in, frame out) and the loaders are tested
 * against the store's own JSON. Imports core only.
 */
import { basename } from 'node:path';
import type { LedgerEntry } from '../../core/ledger/schema.ts';
import { verifyLedger } from '../../core/ledger/verify.ts';
import { dossierMarkdown } from '../../core/report/dossier.ts';
import { promotionEntry, versionTree, type StoreView } from '../../core/report/family.ts';
import { ledgerHeadProblem } from '../../core/report/ledger-check.ts';
import { paramValues } from '../../core/report/spec-text.ts';
import { TradesArtifactSchema, tradeRows, type TradeRow } from '../../core/report/trades-artifact.ts';
import { MetricsSchema, type Metrics } from '../../core/research/run.ts';
import { diffSpecs, type SpecDiff } from '../../core/spec/diff.ts';
import { SpecSchema, type Spec } from '../../core/spec/schema.ts';
import { writeOutputFile } from '../../core/store/output-file.ts';
import { verifyRecords } from '../../core/store/record-digest.ts';
import type { StoreData } from '../../core/store/schema.ts';
import type { InvariantCode } from '../../core/invariants.ts';

/** The parts of an open Store the loaders use (a Store satisfies it). */
export interface StoreReader {
  readonly dir: string;
  readonly file: string;
  readonly data: StoreView;
  readF64Artifact(hash: string): Promise<Float64Array>;
  readJsonArtifact(hash: string): Promise<unknown>;
}

// ---- specs ---------------------------------------------------------------------------------------

/** One spec version, in family order (families as first stored, versions depth-first by parent). */
export interface SpecRow {
  id: string;
  parent: string | null;
  logic_hash: string;
  name: string;
  /** 0 for a family's root version. */
  depth: number;
  created_at: string;
  params: Record<string, number>;
  spec: Spec;
  /** The first row of its family (where the list prints the family's name). */
  familyStart: boolean;
  familySize: number;
}

export function specRows(data: StoreView): SpecRow[] {
  const order: string[] = [];
  for (const s of data.specs) if (!order.includes(s.logic_hash)) order.push(s.logic_hash);
  const rows: SpecRow[] = [];
  for (const lh of order) {
    const nodes = versionTree(data.specs.filter((s) => s.logic_hash === lh));
    nodes.forEach(({ record, depth }, i) => {
      const spec = SpecSchema.parse(record.spec);
      rows.push({
        id: record.id, parent: record.parent, logic_hash: lh, name: spec.name, depth, created_at: record.created_at,
        params: paramValues(spec), spec,
        familyStart: i === 0, familySize: nodes.length,
      });
    });
  }
  return rows;
}

/** The diff of a version against its parent; null for a root (or a parent this store lacks). */
export function versionDiff(rows: readonly SpecRow[], id: string): { parent: string; diff: SpecDiff } | null {
  const row = rows.find((r) => r.id === id);
  const parent = row?.parent === null || row === undefined ? undefined : rows.find((r) => r.id === row.parent);
  return row === undefined || parent === undefined ? null : { parent: parent.id, diff: diffSpecs(parent.spec, row.spec) };
}

// ---- runs ----------------------------------------------------------------------------------------

export interface RunRow {
  id: string;
  session: string;
  spec_id: string;
  created_at: string;
  kind: string;
  key: string;
  segment: string;
  bars: number;
  params: Record<string, number>;
  /** null when the summary holds no readable metrics. */
  metrics: Metrics | null;
  equityHash: string;
  tradesHash: string | null;
}

export function runRows(data: StoreView): RunRow[] {
  return data.runs.map((r) => {
    const m = MetricsSchema.safeParse(r.summary.metrics);
    return {
      id: r.id, session: r.session, spec_id: r.spec_id, created_at: r.created_at, kind: r.kind,
      key: `${r.symbols.join('+')}@${r.interval}`,
      segment: typeof r.summary.segment === 'string' ? r.summary.segment : '?',
      bars: typeof r.summary.bars === 'number' ? r.summary.bars : 0,
      params: { ...r.params }, metrics: m.success ? m.data : null,
      equityHash: r.artifacts.equity.hash, tradesHash: r.artifacts.trades?.hash ?? null,
    };
  });
}

export interface RunDetail {
  run: RunRow;
  equity: Float64Array;
  /** null for runs stored before trades were kept. */
  trades: TradeRow[] | null;
}

/** Reads a run's equity and trades artifacts (each re-hashed on read: a corrupt file is an error, not a chart). */
export async function loadRunDetail(store: StoreReader, run: RunRow): Promise<RunDetail> {
  const equity = await store.readF64Artifact(run.equityHash);
  if (run.tradesHash === null) return { run, equity, trades: null };
  const raw = await store.readJsonArtifact(run.tradesHash);
  const parsed = TradesArtifactSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`run ${run.id}: trades artifact ${run.tradesHash.slice(0, 12)} is not a trade list: ${parsed.error.issues[0]?.message ?? ''}`);
  return { run, equity, trades: tradeRows(parsed.data) };
}

// ---- ledger --------------------------------------------------------------------------------------

export interface LedgerCheck {
  ok: boolean;
  entries: number;
  first_bad: { seq: number; code: InvariantCode; reason: string } | null;
  /** The ledger ends before its recorded head (entries cut off the end). */
  head: string | null;
}

export function ledgerEntries(data: StoreView): readonly LedgerEntry[] {
  return data.ledger;
}

/** What `ledger --verify` checks: the chain, the arithmetic, the head file, and the records the ledger speaks for. */
export async function verifyStoreLedger(store: StoreReader): Promise<LedgerCheck> {
  const v = verifyLedger(store.data.ledger);
  // A whole store (the console's) has its transcripts; a partial view cannot have its digests checked.
  const whole = 'transcripts' in store.data ? (store.data as StoreData) : null;
  const records = v.ok && whole !== null ? verifyRecords(whole).map((p) => `${p.record}: ${p.reason}`) : [];
  const head = v.ok ? (await ledgerHeadProblem(store.dir, store.file, store.data.ledger)) ?? (records.length === 0 ? null : records.join('; ')) : null;
  return { ok: v.ok && head === null, entries: v.entries, first_bad: v.first_bad ?? null, head };
}

// ---- library -------------------------------------------------------------------------------------

export interface LibraryRow {
  id: string;
  name: string;
  spec_id: string;
  session: string;
  added_at: string;
  promotion_id: string | null;
  /** When the promotion's budget reset was written, and its ledger seq. */
  promoted_at: string | null;
  promotion_seq: number | null;
  stable_across: string | null;
  keys: string[];
  spec: Spec | null;
}

export function libraryRows(data: StoreView): LibraryRow[] {
  return data.library.map((l) => {
    const e = promotionEntry(data.ledger, l.promotion_id);
    const stable = l.payload.stable_across ?? e?.payload.stable_across;
    const rec = data.specs.find((s) => s.id === l.spec_id);
    const spec = rec === undefined ? null : SpecSchema.safeParse(rec.spec);
    const name = l.payload.name;
    return {
      id: l.id, spec_id: l.spec_id, session: l.session, added_at: l.added_at, promotion_id: l.promotion_id,
      name: typeof name === 'string' ? name : spec?.success === true ? spec.data.name : '?',
      promoted_at: e?.ts ?? null, promotion_seq: e?.seq ?? null,
      stable_across: typeof stable === 'string' ? stable : null,
      keys: Array.isArray(l.payload.keys) ? l.payload.keys.filter((k): k is string => typeof k === 'string') : [],
      spec: spec?.success === true ? spec.data : null,
    };
  });
}

// ---- export --------------------------------------------------------------------------------------

/** The console's export key: the same dossier `gauntlet export` writes, written atomically to `file`. */
export async function exportDossier(store: StoreReader, specId: string, file: string): Promise<{ file: string; bytes: number }> {
  const headProblem = await ledgerHeadProblem(store.dir, store.file, store.data.ledger);
  const text = dossierMarkdown(store.data, specId, { headProblem });
  // The same rules as `export --out`: never inside a store, never over an existing file.
  await writeOutputFile(file, text, { force: false, command: 'export', flag: 'file', shown: basename(file), existsHint: 'rename or delete it, then press x again' });
  return { file, bytes: Buffer.byteLength(text) };
}

/**
 * A real store for the dossier, export and browser tests: a planted-edge market researched to a
 * promotion (two spec versions, optimiser and walk-forward trials, a library entry), then a
 * second strategy on the bundled stock data in the same store (a second family the dossier must
 * leave out). Produced by the CLI's own composition root, nothing mocked: the edge session's approvals
 * are a researcher who tunes before confirming (tuneFirst), the stock session is `--approve all`.
 */
import { join } from 'node:path';
import type { StoreData } from '../../src/core/store/schema.ts';
import { EDGE_IDEA, EDGE_MARKET, STOCK_IDEA, inproc, readStoreFile, researchWith, tuneFirst, workspace } from '../research/helpers.ts';

export interface ResearchedStore {
  db: string;
  dir: string;
  env: Record<string, string>;
  /** store.json as plain JSON, read without any store code. */
  raw: StoreData;
  cleanup: () => void;
}

export async function researchedStore(prefix: string, opts: { stock?: boolean; edge?: boolean } = {}): Promise<ResearchedStore> {
  const ws = workspace(prefix);
  const db = join(ws.dir, 'db');
  if (opts.edge !== false) {
    const market = join(ws.dir, 'edge');
    const synth = await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env);
    if (synth.code !== 0) throw new Error(synth.stderr);
    await researchWith(EDGE_IDEA, { env: ws.env, universe: market, db, approver: tuneFirst() });
  }
  if (opts.stock !== false) {
    const r = await inproc(['research', STOCK_IDEA, '--approve', 'all', '--offline', '--seed', '3', '--db', db, '--json'], ws.env);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const raw = readStoreFile(db);
  if (raw === null) throw new Error(`no store written at ${db}`);
  return { db, dir: ws.dir, env: ws.env, raw, cleanup: ws.cleanup };
}

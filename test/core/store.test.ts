import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { InvariantError } from '../../src/core/invariants.ts';
import { assertAppendOnly } from '../../src/core/ledger/append-only.ts';
import { appendEntry } from '../../src/core/ledger/chain.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import { resolveDbDir } from '../../src/core/store/paths.ts';
import { openStore, type Store } from '../../src/core/store/store.ts';

const root = mkdtempSync(join(tmpdir(), 'gauntlet-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `db${n++}`);
const T = '2024-05-01T12:00:00.000Z';
const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function withStore<T>(fn: (s: Store, dir: string) => Promise<T>): Promise<T> {
  const dir = freshDir();
  const s = await openStore(dir, { now: () => new Date(T) });
  try { return await fn(s, dir); } finally { await s.close(); }
}

const proposal = (id: string) => ({
  id, session: 's1', spec_id: null, created_at: T, source: 'rules', payload: {},
  action: 'add_symbol' as const, quantity: 2, cost: 10, expected_information_gain: 'sector robustness', justification: 'two more tech names',
});

describe('resolveDbDir', () => {
  it('prefers --db, then $GAUNTLET_DB, then ./.gauntlet, relative to cwd', () => {
    expect(resolveDbDir('x', { GAUNTLET_DB: '/env' }, '/w')).toBe(resolve('/w/x'));
    expect(resolveDbDir(undefined, { GAUNTLET_DB: 'env' }, '/w')).toBe(resolve('/w/env'));
    expect(resolveDbDir(undefined, { GAUNTLET_DB: '' }, '/w')).toBe(resolve('/w/.gauntlet'));
    expect(resolveDbDir(undefined, {}, '/w')).toBe(resolve('/w/.gauntlet'));
    expect(resolveDbDir('/abs', {}, '/w')).toBe('/abs');
    expect(() => resolveDbDir('', {}, '/w')).toThrow(UserError);
  });
});

describe('store', () => {
  it('creates an empty v2 store with every collection, readable as plain JSON', async () => {
    await withStore(async (_s, dir) => {
      const data = JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')) as Record<string, unknown>;
      expect(data.version).toBe(2);
      for (const c of ['specs', 'ledger', 'proposals', 'decisions', 'runs', 'gates', 'reviews', 'transcripts', 'library', 'sessions']) expect(data[c]).toEqual([]);
    });
  });

  it('a ledger spend and the decision it pays for land in one write, or not at all', async () => {
    await withStore(async (s, dir) => {
      await s.transaction((tx) => { tx.appendLedger({ session: 's1', kind: 'grant', action: 'budget', credit: 100 }); });
      await s.transaction((tx) => {
        tx.append('proposals', proposal('p1'));
        const e = tx.appendLedger({ session: 's1', kind: 'spend', action: 'add_symbol', cost: 10, proposal_id: 'p1', approval: { by: 'user', decision: 'approved' } });
        tx.append('decisions', { id: 'd1', session: 's1', proposal_id: 'p1', created_at: T, decision: 'approved', by: 'user', note: null, ledger_seq: e.seq });
      });
      const before = readFileSync(join(dir, 'store.json'), 'utf8');
      // The second decision reuses an id: the whole transaction, spend included, must vanish.
      await expect(s.transaction((tx) => {
        tx.append('proposals', proposal('p2'));
        tx.appendLedger({ session: 's1', kind: 'spend', action: 'add_symbol', cost: 10, proposal_id: 'p2', approval: { by: 'user', decision: 'approved' } });
        tx.append('decisions', { id: 'd1', session: 's1', proposal_id: 'p2', created_at: T, decision: 'approved', by: 'user', note: null, ledger_seq: 2 });
      })).rejects.toThrow(/decisions: a record with id "d1" exists/);
      expect(readFileSync(join(dir, 'store.json'), 'utf8')).toBe(before);
      expect(s.ledger()).toHaveLength(2);
      expect(s.list('proposals').map((p) => p.id)).toEqual(['p1']);
      const raw = JSON.parse(before) as { ledger: LedgerEntry[]; decisions: Array<{ ledger_seq: number }> };
      expect(raw.ledger.map((e) => e.balance)).toEqual([100, 90]);
      expect(raw.decisions[0]!.ledger_seq).toBe(1);
    });
  });

  it('invalid records are refused before anything is written; committed data is frozen', async () => {
    await withStore(async (s) => {
      await expect(s.transaction((tx) => { tx.append('gates', { id: 'g', session: 's', spec_id: 'nothex', created_at: T, gate: 'viability', verdict: 'PASS', config_version: 'gates@2', run_ids: [], measured: {}, reason: null }); }))
        .rejects.toThrow(/gates: spec_id: must be a sha256/);
      await s.transaction((tx) => { tx.appendLedger({ session: 's', kind: 'grant', action: 'budget', credit: 5 }); });
      expect(() => { (s.ledger()[0] as { cost: number }).cost = 1; }).toThrow(TypeError);
      expect(() => { (s.ledger() as LedgerEntry[]).pop(); }).toThrow(TypeError);
    });
  });

  it('specs are content-addressed: the id must be the hash of the canonical spec; re-adding is a no-op', async () => {
    await withStore(async (s) => {
      const spec = { name: 'x', params: { b: 2, a: 1 } };
      const id = sha('{"name":"x","params":{"a":1,"b":2}}');
      const rec = { id, logic_hash: 'c'.repeat(64), params_hash: 'd'.repeat(64), parent: null, created_at: T, spec };
      await s.transaction((tx) => { tx.addSpec(rec); tx.addSpec(rec); });
      expect(s.list('specs')).toHaveLength(1);
      await expect(s.transaction((tx) => { tx.addSpec({ ...rec, id: 'e'.repeat(64) }); })).rejects.toThrow(/id must be the sha256/);
    });
  });

  it('sessions are replaced by id; append-only collections refuse a second record with the same id', async () => {
    await withStore(async (s) => {
      const prices = { initial_backtest: 10, add_symbol: 5, add_interval: 8, optimize: 20, walk_forward: 25, regime_expansion: 15, reoptimize: 30, constrain_universe: 0, kill: 0, promote: 0 };
      const sess = { id: 's1', created_at: T, updated_at: T, status: 'RUNNING' as const, mode: 'interactive' as const, spec_id: null, reason: null, budget: { credits: 1000, prices } };
      await s.transaction((tx) => { tx.put('sessions', sess); });
      await s.transaction((tx) => { tx.put('sessions', { ...sess, status: 'FROZEN', reason: 'optimize costs 20, 12 left' }); });
      expect(s.list('sessions')).toEqual([{ ...sess, status: 'FROZEN', reason: 'optimize costs 20, 12 left' }]);
    });
  });

  it('refuses to write when the file was changed behind its back', async () => {
    await withStore(async (s, dir) => {
      const file = join(dir, 'store.json');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('"specs": []', '"specs": [ ]'));
      utimesSync(file, new Date(2000, 1, 1), new Date(2000, 1, 1));
      const err = await s.transaction((tx) => { tx.appendLedger({ session: 's', kind: 'grant', action: 'budget', credit: 5 }); }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).exitCode).toBe(3);
      expect((err as UserError).message).toContain('changed on disk by another program');
      expect(readFileSync(file, 'utf8')).toContain('"specs": [ ]');
    });
  });

  it('read-only: sees the data, writes nothing, creates nothing', async () => {
    const dir = freshDir();
    const missing = await openStore(dir, { readonly: true });
    expect(missing.exists).toBe(false);
    expect(missing.ledger()).toEqual([]);
    expect(() => missing.transaction(() => undefined)).toThrow(/read-only/);
    await missing.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('transactions queue in call order', async () => {
    await withStore(async (s) => {
      await Promise.all([
        s.transaction((tx) => { tx.appendLedger({ session: 'a', kind: 'grant', action: 'budget', credit: 5 }); }),
        s.transaction((tx) => { tx.appendLedger({ session: 'a', kind: 'trial', action: 't1' }); }),
        s.transaction((tx) => { tx.appendLedger({ session: 'a', kind: 'trial', action: 't2' }); }),
      ]);
      expect(s.ledger().map((e) => e.action)).toEqual(['budget', 't1', 't2']);
    });
  });

  it('sweeps temp files a killed writer left behind', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'artifacts', 'ab'), { recursive: true });
    writeFileSync(join(dir, '.store.json.12345.0123456789ab.tmp'), '{"half');
    writeFileSync(join(dir, 'artifacts', 'ab', '.abcd.json.12345.0123456789ab.tmp'), '{"half');
    const s = await openStore(dir);
    await s.close();
    expect(readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('append-only guard (I9)', () => {
  const chain = (): LedgerEntry[] => {
    const c: LedgerEntry[] = [];
    c.push(appendEntry(c, { session: 's', kind: 'grant', action: 'budget', credit: 50 }));
    c.push(appendEntry(c, { session: 's', kind: 'trial', action: 'backtest' }));
    return c;
  };
  const code = (fn: () => void): string | undefined => {
    try { fn(); } catch (e) { if (e instanceof InvariantError) return e.code; throw e; }
    return undefined;
  };

  it('accepts a proper append, refuses removal, change and hand-built entries', () => {
    const before = chain();
    const after = [...before, appendEntry(before, { session: 's', kind: 'trial', action: 'again' })];
    expect(code(() => assertAppendOnly(before, after))).toBeUndefined();
    expect(code(() => assertAppendOnly(before, before.slice(0, 1)))).toBe('I9');
    const changed = [before[0]!, { ...before[1]!, action: 'x', hash: 'f'.repeat(64) }];
    expect(code(() => assertAppendOnly(before, changed))).toBe('I9');
    const forged = [...before, { ...after[2]!, payload: { forged: true } }];
    expect(code(() => assertAppendOnly(before, forged))).toBe('I9');
  });
});

describe('artifacts', () => {
  it('JSON: stored once under its sha256, key order irrelevant, read back equal', async () => {
    await withStore(async (s, dir) => {
      const a = await s.putArtifact({ trades: [{ b: 2, a: 1 }], n: 1 });
      const b = await s.putArtifact({ n: 1, trades: [{ a: 1, b: 2 }] });
      expect(b).toEqual(a);
      const text = '{"n":1,"trades":[{"a":1,"b":2}]}';
      expect(a).toEqual({ hash: sha(text), format: 'json', bytes: text.length });
      const file = join(dir, 'artifacts', a.hash.slice(0, 2), `${a.hash}.json`);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(await s.readJsonArtifact(a.hash)).toEqual({ n: 1, trades: [{ a: 1, b: 2 }] });
    });
  });

  it('Float64Array: raw little-endian bytes, full precision, NaN kept', async () => {
    await withStore(async (s, dir) => {
      const curve = new Float64Array([1, 1 + 2 ** -52, Number.NaN, -0.1]);
      const ref = await s.putArtifact(curve);
      const bytes = Buffer.alloc(32);
      curve.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
      expect(ref).toEqual({ hash: sha(bytes), format: 'f64', bytes: 32 });
      expect(readFileSync(join(dir, 'artifacts', ref.hash.slice(0, 2), `${ref.hash}.bin`))).toEqual(bytes);
      expect(Array.from(await s.readF64Artifact(ref.hash))).toEqual(Array.from(curve));
    });
  });

  it('a corrupted artifact is reported with its file name; putting the content again heals it', async () => {
    await withStore(async (s, dir) => {
      const ref = await s.putArtifact([1, 2, 3]);
      const file = join(dir, 'artifacts', ref.hash.slice(0, 2), `${ref.hash}.json`);
      writeFileSync(file, '[1,2,4]');
      const err = await s.readJsonArtifact(ref.hash).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toBe(`${file}: artifact content does not match its hash (sha256 is ${sha('[1,2,4]')}); the file is corrupt`);
      await s.putArtifact([1, 2, 3]);
      expect(await s.readJsonArtifact(ref.hash)).toEqual([1, 2, 3]);
      await expect(s.readJsonArtifact('0'.repeat(64))).rejects.toThrow(/artifact is missing/);
    });
  });

  it('refuses values JSON would silently change', async () => {
    await withStore(async (s) => {
      await expect(s.putArtifact({ sharpe: Number.NaN })).rejects.toThrow(TypeError);
      await expect(s.putArtifact({ x: undefined })).rejects.toThrow(TypeError);
    });
  });
});

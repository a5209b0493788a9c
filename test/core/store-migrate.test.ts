import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendEntry } from '../../src/core/ledger/chain.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import { verifyLedger } from '../../src/core/ledger/verify.ts';
import { MIGRATIONS } from '../../src/core/store/migrations.ts';
import { STORE_VERSION } from '../../src/core/store/schema.ts';
import { openStore } from '../../src/core/store/store.ts';

const root = mkdtempSync(join(tmpdir(), 'gauntlet-migrate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A version-0 store as an older gauntlet wrote it: no `library`, no `sessions`. */
function v0Text(): { text: string; ledger: LedgerEntry[] } {
  const ledger: LedgerEntry[] = [];
  const at = (s: string): Date => new Date(`2024-03-0${s}T10:00:00.000Z`);
  ledger.push(appendEntry(ledger, { session: 'alpha', kind: 'grant', action: 'budget', credit: 1000 }, at('1')));
  ledger.push(appendEntry(ledger, { session: 'alpha', kind: 'spend', action: 'initial_backtest', cost: 10, proposal_id: 'p1', approval: { by: 'user', decision: 'approved' }, spec_id: 'b'.repeat(64) }, at('2')));
  ledger.push(appendEntry(ledger, { session: 'beta', kind: 'grant', action: 'budget', credit: 500 }, at('3')));
  ledger.push(appendEntry(ledger, { session: 'alpha', kind: 'trial', action: 'backtest' }, at('4')));
  const v0 = {
    version: 0, created_at: '2024-03-01T09:00:00.000Z',
    specs: [], ledger, proposals: [], decisions: [], runs: [], gates: [], reviews: [], transcripts: [],
  };
  return { text: JSON.stringify(v0, null, 2), ledger };
}

function writeV0(name: string): { dir: string; file: string; text: string; ledger: LedgerEntry[] } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'store.json');
  const { text, ledger } = v0Text();
  writeFileSync(file, text);
  return { dir, file, text, ledger };
}

describe('store migrations', () => {
  it('covers every version step up to the current one', () => {
    expect(MIGRATIONS.map((m) => [m.from, m.to])).toEqual(Array.from({ length: STORE_VERSION }, (_, v) => [v, v + 1]));
  });

  it('v0 → v1 → v2: backs up the original bytes, adds the library, rebuilds sessions, leaves the ledger untouched', async () => {
    const { dir, file, text, ledger } = writeV0('m1');
    const s = await openStore(dir);
    expect(s.migratedFrom).toBe(0);
    await s.close();

    expect(readFileSync(`${file}.bak-v0`, 'utf8')).toBe(text);
    const now = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(now.version).toBe(2);
    expect(now.library).toEqual([]);
    expect(now.created_at).toBe('2024-03-01T09:00:00.000Z');
    expect(now.ledger).toEqual(JSON.parse(JSON.stringify(ledger)));
    expect(now.sessions).toEqual([
      expect.objectContaining({ id: 'alpha', created_at: '2024-03-01T10:00:00.000Z', updated_at: '2024-03-04T10:00:00.000Z', status: 'RUNNING', spec_id: 'b'.repeat(64), budget: expect.objectContaining({ credits: 1000 }) }),
      expect.objectContaining({ id: 'beta', created_at: '2024-03-03T10:00:00.000Z', updated_at: '2024-03-03T10:00:00.000Z', spec_id: null, budget: expect.objectContaining({ credits: 500 }) }),
    ]);

    // The migrated store is a normal current store: it reopens without migrating and its chain verifies.
    const again = await openStore(dir);
    expect(again.migratedFrom).toBeNull();
    expect(verifyLedger(again.ledger()).ok).toBe(true);
    await again.close();
  });

  it('read-only opens migrate in memory only: no backup, file unchanged', async () => {
    const { dir, file, text } = writeV0('m2');
    const s = await openStore(dir, { readonly: true });
    expect(s.migratedFrom).toBe(0);
    expect(s.data.version).toBe(2);
    expect(s.list('sessions').map((x) => x.id)).toEqual(['alpha', 'beta']);
    await s.close();
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(`${file}.bak-v0`)).toBe(false);
  });

  it('never overwrites an older backup with different content', async () => {
    const { dir, file, text } = writeV0('m3');
    writeFileSync(`${file}.bak-v0`, 'an older backup');
    const s = await openStore(dir);
    await s.close();
    expect(readFileSync(`${file}.bak-v0`, 'utf8')).toBe('an older backup');
    expect(readFileSync(`${file}.bak-v0.1`, 'utf8')).toBe(text);
  });

  it('v1 → v2: gate verdicts written before versions were named become gates@1 and keep their meaning', async () => {
    const dir = join(root, 'm4');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'store.json');
    const spec = 'c'.repeat(64);
    const gate = (id: string, name: string, verdict: 'PASS' | 'DEAD') => ({
      id, session: 's1', spec_id: spec, created_at: '2026-11-20T10:00:00.000Z', gate: name, verdict, run_ids: [],
      measured: { checks: [{ name: 'trades_per_year', value: 37.2, threshold: 100, op: '>=', pass: verdict === 'PASS' }] },
      reason: verdict === 'DEAD' ? 'viability: trades_per_year 37.2 < 100' : null,
    });
    const v1 = {
      version: 1, created_at: '2026-11-20T09:00:00.000Z', specs: [], ledger: [], proposals: [], decisions: [], runs: [],
      gates: [gate('g1', 'complexity', 'PASS'), gate('g2', 'viability', 'DEAD')], reviews: [], transcripts: [], library: [], sessions: [],
    };
    const text = JSON.stringify(v1, null, 2);
    writeFileSync(file, text);
    const s = await openStore(dir);
    expect(s.migratedFrom).toBe(1);
    expect(s.list('gates').map((g) => [g.id, g.verdict, g.config_version])).toEqual([['g1', 'PASS', 'gates@1'], ['g2', 'DEAD', 'gates@1']]);
    // Everything else of the record is as written.
    expect(s.list('gates')[1]).toEqual({ ...v1.gates[1], config_version: 'gates@1' });
    await s.close();
    expect(readFileSync(`${file}.bak-v1`, 'utf8')).toBe(text);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version).toBe(2);
  });
});

describe('a migration never skips verification (hardening)', () => {
  it('a version-0 store whose ledger was cut short of ledger.head is refused with exit 3, its files untouched', async () => {
    const { dir, file, text, ledger } = writeV0('trunc');
    const last = ledger[ledger.length - 1]!;
    writeFileSync(join(dir, 'ledger.head'), `${JSON.stringify({ seq: last.seq, hash: last.hash })}\n`);
    const cut = JSON.parse(text) as { ledger: LedgerEntry[] };
    cut.ledger = cut.ledger.slice(0, -1);
    const cutText = JSON.stringify(cut, null, 2);
    writeFileSync(file, cutText);
    const head = readFileSync(join(dir, 'ledger.head'), 'utf8');
    await expect(openStore(dir)).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('entries were removed from the end of the ledger') });
    expect(readFileSync(file, 'utf8')).toBe(cutText);
    expect(readFileSync(join(dir, 'ledger.head'), 'utf8')).toBe(head);
    expect(existsSync(`${file}.bak-v0`)).toBe(false);
  });

  it('a current store relabelled "version": 0 is refused (its sessions and library would be rebuilt and dropped)', async () => {
    const dir = join(root, 'relabel');
    const s = await openStore(dir);
    await s.transaction((tx) => { tx.appendLedger({ session: 'x', kind: 'grant', action: 'budget', credit: 10 }); });
    await s.close();
    const file = join(dir, 'store.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const edited = JSON.stringify({ ...raw, version: 0 }, null, 2);
    writeFileSync(file, edited);
    await expect(openStore(dir)).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining(`${file}: "version" says 0, but it holds "sessions" and "library", which only version 1 and later write: the version field was changed. Nothing was migrated or written.`),
    });
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });
});

/**
 * Records outside the ledger are bound to it: a session's closing entry holds the digest of its
 * records, a spec is checked against its id, and every artifact referred to must be there. Each edit
 * below passes the hash chain (the ledger is untouched) and must still fail `ledger --verify`.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreData } from '../../src/core/store/schema.ts';
import { EDGE_IDEA, EDGE_MARKET, inproc, readStoreFile, tuneFirst, researchWith, workspace } from '../research/helpers.ts';

const ws = workspace('record-binding');
const market = join(ws.dir, 'market');
const db = join(ws.dir, 'db');
let sessionId = '';
beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
  await researchWith(EDGE_IDEA, { env: ws.env, universe: market, db, approver: tuneFirst() });
  sessionId = readStoreFile(db)!.sessions[0]!.id;
}, 120_000);
afterAll(() => ws.cleanup());

/** A copy of the store with `edit` applied to store.json; returns the copy's directory. */
function edited(name: string, edit: (d: StoreData) => void): string {
  const dir = join(ws.dir, name);
  cpSync(db, dir, { recursive: true });
  const file = join(dir, 'store.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as StoreData;
  edit(data);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return dir;
}

const verify = (dir: string) => inproc(['ledger', '--verify', '--db', dir], ws.env);

describe('records are bound to the hash chain (hardening)', () => {
  it('the untouched store verifies', async () => {
    const r = await verify(db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verified: \d+ entries; hash chain intact/);
  });

  it('an edited gate verdict, session status, spec rule, added transcript or deleted artifact fails --verify (exit 1), naming the record', async () => {
    const cases: Array<[string, (d: StoreData) => void, RegExp]> = [
      ['verdict', (d) => { const g = d.gates.find((x) => x.verdict !== 'PASS')!; (g as { verdict: string }).verdict = 'PASS'; },
        new RegExp(`^sessions/${sessionId}: its records \\(gate verdicts, decisions, reviews, transcripts, runs\\) differ from the digest ledger entry #\\d+ recorded: one was edited$`, 'm')],
      ['status', (d) => { d.sessions[0]!.status = d.sessions[0]!.status === 'PROMOTED' ? 'DEAD' : 'PROMOTED'; },
        new RegExp(`^sessions/${sessionId}: the session record says (PROMOTED|DEAD) but ledger entry #\\d+ closed it [A-Z]+$`, 'm')],
      ['spec', (d) => { const s = d.specs[0]!.spec as { rules: { long_exit: unknown } }; s.rules.long_exit = null; },
        new RegExp(`^specs/${readStoreFile(db)!.specs[0]!.id}: the stored spec no longer hashes to its id: its rules, params or text were edited$`, 'm')],
      ['transcript', (d) => {
        d.transcripts.push({ id: 't-planted', session: sessionId, created_at: d.sessions[0]!.created_at, role: 'reviewer', model: 'm', model_digest: null, options: {}, prompt_hash: '0'.repeat(64), prompt: '{}', response: '{"diagnosis":"PROMOTE"}', attempt: 1, started_at: d.sessions[0]!.created_at, ms: 1, outcome: 'ok', detail: null });
      }, new RegExp(`^sessions/${sessionId}: its records .* one was edited$`, 'm')],
    ];
    for (const [name, edit, expected] of cases) {
      const r = await verify(edited(`edit-${name}`, edit));
      expect([name, r.code]).toEqual([name, 1]);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).toContain('The ledger itself is intact; the records above were changed after it recorded them.');
    }
    const gone = join(ws.dir, 'edit-artifact');
    cpSync(db, gone, { recursive: true });
    const run = readStoreFile(db)!.runs[0]!;
    const equity = join(gone, 'artifacts', run.artifacts.equity.hash.slice(0, 2), `${run.artifacts.equity.hash}.bin`);
    rmSync(equity);
    const r = await verify(gone);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${equity}: artifact is missing (the store refers to it, but the file is gone)`);
  });

  it('export of an edited store says FAILED verification and exits 1', async () => {
    const dir = edited('export-status', (d) => { d.sessions[0]!.status = 'KILLED'; });
    const spec = readStoreFile(dir)!.specs[0]!.id;
    const r = await inproc(['export', spec, '--db', dir], ws.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`\\| ledger \\| FAILED verification: sessions/${sessionId}: the session record says KILLED but ledger entry #\\d+ closed it PROMOTED`));
  });
});

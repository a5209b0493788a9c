/**
 * `gauntlet export` through the CLI's `main`, on a store written by a real research session:
 * what it writes, where, how (atomically), and how it refuses bad input.
 */
import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreData } from '../../src/core/store/schema.ts';
import { STACK_FRAME, inproc } from '../research/helpers.ts';
import { researchedStore, type ResearchedStore } from '../core/dossier-fixture.ts';

let fx: ResearchedStore;
beforeAll(async () => { fx = await researchedStore('export', { edge: false }); }, 120_000);
afterAll(() => fx?.cleanup());

const exportCli = (args: string[]) => inproc(['export', ...args], fx.env);

describe('gauntlet export', () => {
  it('prints the dossier of a spec given by prefix; --out writes the same text to a file', async () => {
    const spec = fx.raw.specs[0]!;
    const printed = await exportCli([spec.id.slice(0, 8), '--db', fx.db]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout.startsWith(`# Dossier: ${(spec.spec as { name: string }).name}\n`)).toBe(true);
    expect(printed.stdout).toContain(`| spec id | \`${spec.id}\` |`);
    const trials = fx.raw.ledger.filter((e) => e.kind === 'trial' && e.payload.logic_hash === spec.logic_hash).length;
    expect(printed.stdout).toContain(`## Trials (${trials})`);

    const out = join(fx.dir, 'dossier.md');
    const written = await exportCli([spec.id.slice(0, 8), '--db', fx.db, '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
    expect(written.stdout).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${trials} trials.*ledger verified: ${fx.raw.ledger.length} entries`));
  });

  it('refuses an existing file without --force (exit 2, the file untouched), and never writes inside a store, even with --force', async () => {
    const out = join(fx.dir, 'kept.md');
    writeFileSync(out, 'old content\n');
    const r = await exportCli([fx.raw.specs[0]!.id, '--db', fx.db, '--out', out]);
    expect([r.code, r.stderr]).toEqual([2, `gauntlet export: --out ${out} exists; add --force to replace it\n`]);
    expect(readFileSync(out, 'utf8')).toBe('old content\n');
    const storeBefore = readFileSync(join(fx.db, 'store.json'), 'utf8');
    for (const target of [join(fx.db, 'store.json'), join(fx.db, 'artifacts', 'x.md')]) {
      const onto = await exportCli([fx.raw.specs[0]!.id, '--db', fx.db, '--out', target, '--force']);
      expect([onto.code, onto.stderr]).toEqual([2, `gauntlet export: --out ${target} is inside the store ${fx.db}: gauntlet never writes an output file there (it would corrupt or replace the store). Choose a path outside it.\n`]);
    }
    expect(readFileSync(join(fx.db, 'store.json'), 'utf8')).toBe(storeBefore);
    expect(existsSync(join(fx.db, 'artifacts', 'x.md'))).toBe(false);
  });

  it('with --force, replaces an existing file by rename (a new inode, no temp file left), never by rewriting it in place', async () => {
    const out = join(fx.dir, 'replace.md');
    writeFileSync(out, 'old content\n');
    const before = statSync(out).ino;
    const r = await exportCli([fx.raw.specs[0]!.id, '--db', fx.db, '--out', out, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Dossier: /);
    expect(statSync(out).ino).not.toBe(before);
    expect(readdirSync(fx.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--json prints the same dossier as one JSON object', async () => {
    const spec = fx.raw.specs[0]!;
    const r = await exportCli([spec.id, '--db', fx.db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as { spec_id: string; logic_hash: string; canonical_json: string; trials: unknown[]; gates: unknown[]; verify: { ok: boolean; entries: number } };
    expect(d.spec_id).toBe(spec.id);
    expect(createHash('sha256').update(d.canonical_json).digest('hex')).toBe(spec.id);
    expect(d.gates).toHaveLength(fx.raw.gates.filter((g) => g.spec_id === spec.id).length);
    expect(d.verify).toMatchObject({ ok: true, entries: fx.raw.ledger.length });
  });

  it('an unknown id exits 2 with a clear message and writes nothing', async () => {
    const out = join(fx.dir, 'never.md');
    const r = await exportCli(['ffff0000', '--db', fx.db, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no spec ffff0000 in this store \(\d+ specs? stored\); known: [0-9a-f]{12}/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a malformed id, a missing id, a missing store and an unwritable --out, each with exit 2', async () => {
    const bad = await exportCli(['not-hex', '--db', fx.db]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/"not-hex" is not a spec id: give the id or a prefix of at least 4 hex digits/)]);
    const none = await exportCli(['--db', fx.db]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/give exactly one spec id or prefix \(got 0\)/)]);
    const nostore = await exportCli(['abcd', '--db', join(fx.dir, 'nowhere')]);
    expect([nostore.code, nostore.stderr]).toEqual([2, expect.stringMatching(/no store at .*nowhere; point --db at the directory a research session wrote/)]);
    const nodir = await exportCli([fx.raw.specs[0]!.id, '--db', fx.db, '--out', join(fx.dir, 'no', 'such', 'dir.md')]);
    expect([nodir.code, nodir.stderr]).toEqual([2, expect.stringMatching(/cannot write .*dir\.md: ENOENT/)]);
    for (const r of [bad, none, nostore, nodir]) expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a store whose ledger was edited: the dossier is written, says which entry is bad, and the exit code is 1', async () => {
    const db = join(fx.dir, 'tampered');
    cpSync(fx.db, db, { recursive: true });
    const file = join(db, 'store.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as StoreData;
    data.ledger[3] = { ...data.ledger[3]!, cost: data.ledger[3]!.cost + 1 };
    writeFileSync(file, JSON.stringify(data, null, 2));
    const out = join(fx.dir, 'tampered.md');
    const r = await exportCli([data.specs[0]!.id, '--db', db, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the ledger FAILED verification: entry #3 \(I9\): hash does not match/);
    expect(readFileSync(out, 'utf8')).toContain('| ledger | FAILED verification: entry #3 (I9)');
  });

  it('a ledger cut short at its tail (the chain still links) is caught by the head file: exit 1', async () => {
    const db = join(fx.dir, 'truncated');
    cpSync(fx.db, db, { recursive: true });
    const file = join(db, 'store.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as StoreData;
    data.ledger.pop();
    writeFileSync(file, JSON.stringify(data, null, 2));
    const r = await exportCli([data.specs[0]!.id, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED verification: .*entries were removed from the end of the ledger/);
  });

  it('is listed in gauntlet --help and has its own --help', async () => {
    expect((await inproc(['--help'], fx.env)).stdout).toMatch(/\n {2}export +write the Markdown dossier/);
    const h = await exportCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: gauntlet export SPEC_ID\|PREFIX \[--db DIR\] \[--out FILE \[--force\]\] \[--json\]/);
  });
});

/**
 * A corrupt store, through the CLI. test/core/store-corrupt.test.ts opens hand-made bad stores
 * in-process; here a real session's store is damaged at seeded random places and `gauntlet research`
 * (in-process through main, every thirteenth case as a real child) and `gauntlet ledger --verify` meet it:
 *
 * - store.json truncated at a random offset, replaced by random bytes, or with random bytes spliced in;
 * - valid JSON with a broken hash chain: one entry's field edited, an entry removed from the middle,
 *   two entries swapped — the message must name the first bad entry;
 * - valid JSON that breaks the schema at a random ledger entry (a field deleted or of the wrong type);
 * - entries cut off the ledger's tail while ledger.head still names the old last entry;
 * - garbage in ledger.head or in store.lock.
 *
 * Every one must be refused with exit 3, a message naming the damaged file, no stack trace, and every
 * file of the store exactly as it was (nothing overwritten, no lock, backup or temp file left).
 * A random single-byte flip may also land where nothing checks it (a metric of a run record): then
 * the store is accepted, and the session that runs on it must leave the earlier ledger intact.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreData } from '../../src/core/store/schema.ts';
import { STOCK_IDEA, inproc, parseEvents, prng, readStoreFile, workspace } from '../research/helpers.ts';
import { FULL, checkAtRest, fingerprint, noFindings, nothingDropped, refusalProblems, reportedAreStored, spawnGauntlet } from './harness.ts';
import { Tally } from './tally.ts';

const ws = workspace('faults-corrupt');
const tally = new Tally('corrupt-store');
afterAll(() => { tally.report(); ws.cleanup(); });

const research = (db: string): string[] => ['research', STOCK_IDEA, '--approve', 'all', '--db', db, '--json'];
let source = '';
let text = '';
let data: StoreData;

beforeAll(async () => {
  source = join(ws.dir, 'source');
  // Two sessions, so that cuts and edits can land in either and balances span sessions.
  for (const seed of ['1', '2']) {
    const r = await inproc([...research(source), '--seed', seed, '--budget', '60'], ws.env);
    expect(r.code, r.stderr).toBe(0);
  }
  text = readFileSync(join(source, 'store.json'), 'utf8');
  data = JSON.parse(text) as StoreData;
  expect(data.ledger.length).toBeGreaterThan(10);
}, 120_000);

/** `verify`: the exit `ledger --verify` must give (readers ignore the lock; 'refused' is 1 or 3). */
type Damage = { kind: string; file: 'store.json' | 'ledger.head' | 'store.lock'; bytes: string | Buffer; verify: 0 | 1 | 3 | 'refused'; names?: RegExp };

function damages(count: number, seed: number): Damage[] {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const garbage = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));
  const edit = (fn: (d: StoreData) => void): string => {
    const d = JSON.parse(text) as StoreData;
    fn(d);
    return JSON.stringify(d, null, 2);
  };
  const n = data.ledger.length;
  const out: Damage[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 10) {
      case 0: out.push({ kind: 'truncated', file: 'store.json', bytes: text.slice(0, int(text.length)), verify: 3, names: /not valid JSON|expected a JSON object/ }); break;
      case 1: out.push({ kind: 'random bytes', file: 'store.json', bytes: garbage(1 + int(4096)), verify: 3 }); break;
      case 2: {
        const at = int(text.length);
        // With a NUL among them: a raw control character is invalid anywhere in JSON, even inside a string.
        const junk = Buffer.concat([garbage(int(32)), Buffer.from([0]), garbage(int(32))]);
        out.push({ kind: 'bytes spliced in', file: 'store.json', bytes: Buffer.concat([Buffer.from(text.slice(0, at)), junk, Buffer.from(text.slice(at))]), verify: 3, names: /not valid JSON at line \d+/ });
        break;
      }
      case 3: {
        const k = int(n);
        const field = (['cost', 'credit', 'action', 'ts', 'payload', 'session'] as const)[int(6)]!;
        out.push({
          kind: `entry #${k} ${field} edited`, file: 'store.json', verify: 1, names: new RegExp(`ledger entry #${k}\\b`),
          bytes: edit((d) => {
            const e = d.ledger[k] as unknown as Record<string, unknown>;
            e[field] = field === 'cost' || field === 'credit' ? (e[field] as number) + 1 + int(50) : field === 'payload' ? { tampered: true } : field === 'ts' ? '2001-01-01T00:00:00.000Z' : `${String(e[field])}x`;
          }),
        });
        break;
      }
      case 4: {
        const k = int(n - 1);
        out.push({ kind: `entry #${k} removed`, file: 'store.json', verify: 1, names: new RegExp(`ledger entry #${k}\\b`), bytes: edit((d) => { d.ledger.splice(k, 1); }) });
        break;
      }
      case 5: {
        const k = int(n - 1);
        out.push({ kind: `entries #${k} and #${k + 1} swapped`, file: 'store.json', verify: 1, names: new RegExp(`ledger entry #${k}\\b`), bytes: edit((d) => { [d.ledger[k], d.ledger[k + 1]] = [d.ledger[k + 1]!, d.ledger[k]!]; }) });
        break;
      }
      case 6: {
        const k = int(n);
        const field = (['hash', 'prev', 'seq', 'kind', 'balance'] as const)[int(5)]!;
        const del = rnd() < 0.5;
        out.push({
          kind: `entry #${k} ${field} ${del ? 'deleted' : 'of the wrong type'}`, file: 'store.json', verify: 3, names: new RegExp(`ledger\\[${k}\\]\\.${field}`),
          bytes: edit((d) => { const e = d.ledger[k] as unknown as Record<string, unknown>; if (del) delete e[field]; else e[field] = [e[field]]; }),
        });
        break;
      }
      case 7: {
        const cut = 1 + int(Math.min(20, n - 1));
        out.push({ kind: `last ${cut} entries cut off`, file: 'store.json', verify: 1, names: /ledger\.head/, bytes: edit((d) => { d.ledger.splice(n - cut, cut); }) });
        break;
      }
      case 8: out.push({ kind: 'ledger.head garbage', file: 'ledger.head', bytes: garbage(1 + int(200)), verify: 'refused', names: /ledger\.head/ }); break;
      default: out.push({ kind: 'store.lock garbage', file: 'store.lock', bytes: garbage(1 + int(200)), verify: 0, names: /not a gauntlet lock/ });
    }
  }
  return out;
}

describe('a corrupt store is refused, named, and left exactly as it was', () => {
  const cases = FULL ? 200 : 40;
  it(`${cases} seeded damages through research and ledger --verify`, async () => {
    const kinds = new Map<string, number>();
    for (const [i, d] of damages(cases, 0xc0de).entries()) {
      const db = join(ws.dir, `case${i}`);
      cpSync(source, db, { recursive: true });
      writeFileSync(join(db, d.file), d.bytes);
      const label = `case ${i} (${d.kind}): `;
      const before = fingerprint(db);
      const exit = i % 13 === 5 ? await spawnGauntlet(research(db), { env: ws.env }).exited : await inproc(research(db), ws.env);
      tally.faults++;
      expect(refusalProblems(exit, 3, [join(db, d.file)]), label).toEqual([]);
      if (d.names !== undefined) expect(exit.stderr, label).toMatch(d.names);
      expect(exit.stdout, label).toBe('');
      expect(fingerprint(db), label).toEqual(before);

      // A reader reports it too: exit 1 for a ledger that fails verification, 3 for a file that cannot be read at all.
      const v = await inproc(['ledger', '--db', db, '--verify'], ws.env);
      expect(d.verify === 'refused' ? [1, 3] : [d.verify], `${label}ledger --verify exit ${v.code}: ${v.stderr}`).toContain(v.code);
      // Exit 3 names the file it cannot read; exit 1 (a chain that fails) names the first bad entry, or the head it contradicts.
      if (v.code === 3) expect(refusalProblems(v, 3, [join(db, d.file)]), label).toEqual([]);
      if (v.code === 1) {
        expect(refusalProblems(v, 1, []), label).toEqual([]);
        expect(v.stderr, label).toMatch(d.names ?? /ledger entry #\d+|ledger\.head/);
      }
      expect(fingerprint(db), label).toEqual(before);
      kinds.set(d.kind.replace(/#\d+|\d+/g, 'N'), (kinds.get(d.kind.replace(/#\d+|\d+/g, 'N')) ?? 0) + 1);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(10);
  }, FULL ? 600_000 : 120_000);

  it(`single-byte flips at seeded offsets: refused untouched, or accepted and the earlier ledger kept intact`, async () => {
    const rnd = prng(0xf1b);
    const cases = FULL ? 60 : 12;
    let refused = 0;
    let caught = 0;
    for (let i = 0; i < cases; i++) {
      const db = join(ws.dir, `flip${i}`);
      cpSync(source, db, { recursive: true });
      const bytes = Buffer.from(text);
      const at = Math.floor(rnd() * bytes.length);
      bytes[at] = bytes[at]! ^ (1 << Math.floor(rnd() * 7));
      writeFileSync(join(db, 'store.json'), bytes);
      const label = `flip at byte ${at}: `;
      const before = fingerprint(db);
      const exit = await inproc(research(db), ws.env);
      tally.faults++;
      if (exit.code === 3) {
        refused++;
        expect(refusalProblems(exit, 3, [join(db, 'store.json')]), label).toEqual([]);
        expect(fingerprint(db), label).toEqual(before);
        continue;
      }
      // Accepted: only a byte that nothing checks (a number in a record outside the ledger, a letter of a note).
      expect(exit.code, `${label}${exit.stderr}`).toBe(0);
      const f = noFindings();
      const flipped = JSON.parse(bytes.toString('utf8')) as StoreData;
      const after = readStoreFile(db);
      nothingDropped({ ...flipped, sessions: [] }, after, f, label);
      // A flip inside a record the ledger binds (a session's reason, a verdict) is what `--verify` exists
      // to catch: it reports the record, says the chain is intact, and that is a detection, not a loss.
      const problems = await checkLedgerOnly(db, label);
      const recordEdit = (p: string): boolean => p.endsWith(RECORDS_EDITED) && !p.includes('ledger.head');
      if (problems.some(recordEdit)) caught++;
      f.problems.push(...problems.filter((p) => !recordEdit(p)));
      tally.add(f, reportedAreStored(parseEvents(exit.stdout), after, f, label));
      expect(f, label).toEqual(noFindings());
    }
    // Most bytes of a store are ledger bytes, structure or checked values: many flips are caught. Since
    // judgement v2 every gate record carries its notes and sample for the dossier — report text that no
    // check reads (binding records to the hash chain is the hardening issue's), so the share is lower
    // than it was (6 of 12 on the CI subset); every accepted flip is still checked above to lose nothing.
    expect(refused + caught).toBeGreaterThanOrEqual(cases * 0.4);
  }, 120_000);

  it.todo('entries cut off the tail AND ledger.head deleted goes unnoticed: nothing outside the store anchors its length (known gap)');
});

/** How `ledger --verify` ends its report of records edited after the ledger recorded them (src/commands/ledger.ts). */
const RECORDS_EDITED = 'The ledger itself is intact; the records above were changed after it recorded them.';

/** The ledger verifies (the rest of an accepted flipped store may hold the flipped value). */
async function checkLedgerOnly(db: string, label: string): Promise<string[]> {
  const f = noFindings();
  await checkAtRest(db, ws.env, f, { label });
  // A flipped digit in a decision's ledger_seq, a proposal's cost or an artifact's hash is accepted by the
  // schema (only the ledger is hash-chained) and shows up in the cross-record checks or when the artifact
  // is read; that is the flip, not the session that ran on it.
  return f.problems.filter((p) => /ledger --verify|ledger #\d+: |not JSON|does not open/.test(p));
}

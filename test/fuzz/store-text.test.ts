/**
 * Seeded fuzzing of the store's front door, parseStoreText (zod on every read), on a real session's
 * store.json: truncations, byte flips, and JSON-level damage at random paths — a leaf of the wrong
 * type, a key deleted, an unknown key added, a record duplicated, the version changed. Each must be
 * refused with a UserError (exit 3) whose message starts with the file, says where (a line and column,
 * or the JSON path of the damage or its parent), stays short, and says the store was not changed — or
 * be accepted, which damage may only be where the schema holds free JSON (payloads, summaries, a
 * spec) or where null is allowed. Every tenth case goes through openStore on disk: refused untouched,
 * or, when the text parses, refused by the ledger check unless the ledger is intact.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { parseStoreText } from '../../src/core/store/parse-store.ts';
import { openStore } from '../../src/core/store/store.ts';
import { STOCK_IDEA, STACK_FRAME, inproc, workspace } from '../research/helpers.ts';
import { mulberry32 } from '../support/mulberry32.ts';

const ws = workspace('fuzz-store');
afterAll(() => ws.cleanup());

const CASES = 1500;
const FILE = '/somewhere/store.json';
let text = '';
let base: Record<string, unknown>;

beforeAll(async () => {
  const db = join(ws.dir, 'source');
  const r = await inproc(['research', STOCK_IDEA, '--approve', 'all', '--budget', '60', '--db', db, '--json'], ws.env);
  expect(r.code, r.stderr).toBe(0);
  text = readFileSync(join(db, 'store.json'), 'utf8');
  base = JSON.parse(text) as Record<string, unknown>;
}, 60_000);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

function paths(v: Json, p: Path = [], out: Path[] = []): Path[] {
  out.push(p);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...p, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...p, k], out);
  return out;
}
const at = (v: Json, p: Path): Json => p.reduce<Json>((c, k) => (c as Record<string | number, Json>)[k]!, v);
const show = (p: Path): string => p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? k : `${s}.${k}`), '');
/** Where the schema takes any JSON: damage there is not the schema's to see. */
const FREE = new Set(['payload', 'summary', 'measured', 'options', 'spec', 'detail']);
const inFree = (p: Path): boolean => p.some((k) => typeof k === 'string' && FREE.has(k));

interface Case { why: string; text: string; path?: Path; mayPass: boolean }

function cases(n: number, seed: number): Case[] {
  const rnd = mulberry32(seed);
  const int = (k: number): number => Math.floor(rnd() * k);
  const all = paths(base as Json);
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const v = JSON.parse(text) as Json;
    switch (i % 8) {
      case 0: out.push({ why: 'truncated', text: text.slice(0, int(text.length)), mayPass: false }); break;
      case 1: { // one byte changed
        const b = Buffer.from(text);
        const k = int(b.length);
        b[k] = b[k]! ^ (1 << int(8));
        out.push({ why: `byte ${k} flipped`, text: b.toString('utf8'), mayPass: true });
        break;
      }
      case 2: { // a leaf of the wrong type
        const p = all[1 + int(all.length - 1)]!;
        const old = at(v, p);
        const repl: Json = typeof old === 'string' ? int(2) === 0 ? 7 : null : typeof old === 'number' ? 'seven' : Array.isArray(old) ? {} : old === null ? [] : typeof old === 'object' ? 'x' : 'x';
        (at(v, p.slice(0, -1)) as Record<string | number, Json>)[p[p.length - 1]!] = repl;
        out.push({ why: `${show(p)} → ${JSON.stringify(repl)}`, text: JSON.stringify(v, null, 2), path: p, mayPass: inFree(p) || repl === null });
        break;
      }
      case 3: { // a key deleted
        const keyed = all.filter((p) => typeof p[p.length - 1] === 'string');
        const p = keyed[int(keyed.length)]!;
        delete (at(v, p.slice(0, -1)) as Record<string, Json>)[p[p.length - 1] as string];
        // Optional fields of a ledger entry (or a run's trades artifact) may be absent; a proposal's quantity defaults to 1;
        // a session's prices are a partial record (an action added later has no price in an older session).
        const optional = /^(proposal_id|approval|spec_id|promotion_id|trades|quantity)$/.test(String(p[p.length - 1])) || p[p.length - 2] === 'prices';
        out.push({ why: `${show(p)} deleted`, text: JSON.stringify(v, null, 2), path: p, mayPass: inFree(p) || optional });
        break;
      }
      case 4: { // an unknown key added to an object
        const objs = all.filter((p) => { const x = at(v, p); return x !== null && typeof x === 'object' && !Array.isArray(x); });
        const p = objs[int(objs.length)]!;
        const obj = at(v, p) as Record<string, Json>;
        const fresh = ['verdict', 'cost', 'x', '__proto__x', 'sharpe', 'promote'].filter((k) => !(k in obj));
        obj[fresh[int(fresh.length)]!] = 1;
        // A run's params are a record of numbers: a new name with a number is a param, not an unknown key.
        const record = p[p.length - 1] === 'params' && p[0] === 'runs';
        out.push({ why: `unknown key in ${show(p) || '(root)'}`, text: JSON.stringify(v, null, 2), path: p, mayPass: inFree(p) || record });
        break;
      }
      case 5: { // a record duplicated (same id twice)
        const cols = ['specs', 'proposals', 'decisions', 'runs', 'gates', 'reviews', 'sessions'].filter((c) => ((v as Record<string, Json[]>)[c] ?? []).length > 0);
        const c = cols[int(cols.length)]!;
        const arr = (v as Record<string, Json[]>)[c]!;
        const k = int(arr.length);
        arr.splice(k + 1, 0, JSON.parse(JSON.stringify(arr[k])) as Json);
        out.push({ why: `${c}[${k}] duplicated`, text: JSON.stringify(v, null, 2), path: [c, k + 1, 'id'], mayPass: false });
        break;
      }
      case 6: { // the version
        const ver = [0, 3, -1, 1.5, '2', null, 99, 1][int(8)]!;
        (v as Record<string, Json>).version = ver;
        out.push({ why: `version ${JSON.stringify(ver)}`, text: JSON.stringify(v, null, 2), path: ['version'], mayPass: ver === 0 || ver === 1 /* a migration */ });
        break;
      }
      default: { // a collection removed or replaced
        const c = ['ledger', 'specs', 'sessions', 'runs', 'transcripts', 'library'][int(6)]!;
        if (rnd() < 0.5) delete (v as Record<string, Json>)[c];
        else (v as Record<string, Json>)[c] = [{}, 'x', 3][int(3)]!;
        out.push({ why: `collection ${c} damaged`, text: JSON.stringify(v, null, 2), path: [c], mayPass: false });
      }
    }
  }
  return out;
}

describe('store.json fuzzing: refused with a message that says where, or accepted only where the schema holds free JSON', () => {
  it(`${CASES} seeded damages`, async () => {
    const tally = { refused: 0, accepted: 0, onDisk: 0 };
    for (const [i, c] of cases(CASES, 0x570e).entries()) {
      const label = `case ${i} (${c.why})`;
      let err: unknown = null;
      try {
        parseStoreText(c.text, FILE);
      } catch (e) {
        err = e;
      }
      if (err === null) {
        tally.accepted++;
        expect(c.mayPass, `${label}: accepted`).toBe(true);
      } else {
        tally.refused++;
        if (!(err instanceof UserError)) throw new Error(`${label}: ${String(err)}`, { cause: err });
        expect(err.exitCode, label).toBe(3);
        const m = err.message;
        expect(m.startsWith(FILE), `${label}: ${m}`).toBe(true);
        expect(m, label).not.toMatch(STACK_FRAME);
        expect(m.split('\n').length, `${label}: ${m}`).toBeLessThanOrEqual(13);
        expect(m, label).toMatch(/not changed|upgrade gauntlet/);
        // Where: a position for text that is not JSON, else the damaged path or one of its parents (an object that lost or gained a key).
        if (/not valid JSON/.test(m)) expect(m, label).toMatch(/not valid JSON at line \d+, column \d+: /);
        else if (c.path !== undefined) {
          const named = Array.from({ length: c.path.length + 1 }, (_, k) => show(c.path!.slice(0, k)) || '(root)');
          expect(named.some((p) => m.includes(`: ${p}:`) || m.includes(`: ${p} `) || (p === 'version' && m.includes('version'))), `${label}: ${m}`).toBe(true);
        }
      }
      if (i % 10 === 0) {
        tally.onDisk++;
        const dir = join(ws.dir, `disk${i}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 'store.json'), c.text);
        let openErr: unknown = null;
        try {
          await (await openStore(dir)).close();
        } catch (e) {
          openErr = e;
        }
        if (err !== null) {
          expect(openErr, label).toBeInstanceOf(UserError);
          expect(readFileSync(join(dir, 'store.json'), 'utf8'), label).toBe(c.text);
        } else if (openErr !== null) {
          // Parsed, but the writable open also verifies the ledger: only a broken chain may refuse it.
          expect((openErr as UserError).message, label).toMatch(/ledger entry #\d+/);
        }
      }
    }
    console.log(`store text fuzz: ${JSON.stringify(tally)}`);
    expect(tally.refused).toBeGreaterThan(CASES / 2);
  }, 120_000);
});

describe('what this fuzzer found (fixed in src/core/store/parse-store.ts)', () => {
  it('an unexpected token, for which Node 20 names no position, is still located by line and column', () => {
    const lines = text.split('\n');
    const k = Math.floor(lines.length / 2);
    lines[k] = `${lines[k]}@`;
    expect(() => parseStoreText(lines.join('\n'), FILE)).toThrow(new RegExp(`not valid JSON at line ${k + 1}, column ${lines[k]!.length}: `));
  });
});


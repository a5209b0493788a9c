import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { openStore } from '../../src/core/store/store.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { run as ledgerCommand } from '../../src/commands/ledger.ts';

const root = mkdtempSync(join(tmpdir(), 'gauntlet-corrupt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let goodText = '';
beforeAll(async () => {
  const s = await openStore(join(root, 'good'));
  await s.transaction((tx) => {
    tx.appendLedger({ session: 's1', kind: 'grant', action: 'budget', credit: 100 });
    tx.appendLedger({ session: 's1', kind: 'trial', action: 'backtest' });
  });
  await s.close();
  goodText = readFileSync(join(root, 'good', 'store.json'), 'utf8');
});

let n = 0;
/** A store directory whose store.json holds `text`. */
function storeWith(text: string): { dir: string; file: string } {
  const dir = join(root, `bad${n++}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'store.json');
  writeFileSync(file, text);
  return { dir, file };
}

function edited(fn: (store: Record<string, unknown> & { ledger: Array<Record<string, unknown>> }) => void): string {
  const data = JSON.parse(goodText) as Record<string, unknown> & { ledger: Array<Record<string, unknown>> };
  fn(data);
  return JSON.stringify(data, null, 2);
}

/** Opens (writable and read-only) and runs `gauntlet ledger`; all three must refuse with exit 3 and leave the bytes alone. */
async function expectRefused(text: string, pattern: RegExp): Promise<string> {
  const { dir, file } = storeWith(text);
  const messages: string[] = [];
  for (const attempt of [() => openStore(dir), () => openStore(dir, { readonly: true }), () => ledgerCommand(['--db', dir, '--verify'], bufferIo())]) {
    let err: unknown;
    try { await attempt(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(3);
    expect((err as UserError).message).toMatch(pattern);
    expect((err as UserError).message).toContain(file);
    messages.push((err as UserError).message);
    expect(readFileSync(file, 'utf8')).toBe(text);
    // A refused writable open releases its lock and leaves no backup or temp file behind.
    expect(existsSync(join(dir, 'store.lock'))).toBe(false);
  }
  return messages[0]!;
}

describe('a corrupt or invalid store is refused and never overwritten', () => {
  it('truncated JSON: names the file, the position and the likely cause', async () => {
    const text = goodText.slice(0, Math.floor(goodText.length / 2));
    const lines = text.split('\n');
    const msg = await expectRefused(text, /not valid JSON at line \d+, column \d+: .*truncated/);
    expect(msg).toContain(`at line ${lines.length}, column ${lines.at(-1)!.length + 1}`);
    expect(msg).toContain('The store was not changed');
  });

  it('a syntax error in the middle: points at its line', async () => {
    const text = goodText.replace('"kind": "trial"', '"kind": "trial",,');
    const line = text.split('\n').findIndex((l) => l.includes('"trial",,')) + 1;
    await expectRefused(text, new RegExp(`not valid JSON at line ${line}, column \\d+`));
  });

  it('wrong types: names the JSON path of each problem', async () => {
    const msg = await expectRefused(edited((d) => { d.ledger[1]!.cost = 'ten'; d.runs = {}; }), /store\.json: ledger\[1\]\.cost: /);
    expect(msg).toMatch(/store\.json: runs: /);
  });

  it('unknown fields and duplicate ids are refused, not silently dropped', async () => {
    await expectRefused(edited((d) => { d.ledger[0]!.note = 'hi'; }), /ledger\[0\]: .*note/);
    await expectRefused(edited((d) => {
      const sess = { id: 's1', created_at: '2024-01-01T00:00:00.000Z', updated_at: '2024-01-01T00:00:00.000Z', status: 'RUNNING', mode: 'auto', spec_id: null, reason: null,
        budget: { credits: 1, prices: { initial_backtest: 10, add_symbol: 5, add_interval: 8, optimize: 20, walk_forward: 25, regime_expansion: 15, reoptimize: 30, constrain_universe: 0, kill: 0, promote: 0 } } };
      d.sessions = [sess, sess];
    }), /sessions\[1\]\.id: duplicate id "s1"/);
  });

  it('a version newer than this program knows is refused with a clear message', async () => {
    await expectRefused(edited((d) => { d.version = 99; }), /version 99 is newer than this gauntlet understands \(up to 2\); upgrade gauntlet/);
    await expectRefused(edited((d) => { delete d.version; }), /version: expected a whole number/);
  });

  it('not an object at all', async () => {
    await expectRefused('[1, 2, 3]', /\(root\): expected a JSON object, got an array/);
    await expectRefused('', /not valid JSON/);
  });

  it('a ledger that fails verification: readable (so it can be inspected) but never written to', async () => {
    const text = edited((d) => { d.ledger[1]!.action = 'optimize'; });
    const { dir, file } = storeWith(text);
    let err: unknown;
    try { await openStore(dir); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(3);
    expect((err as UserError).message).toContain('ledger entry #1: hash does not match its content');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(join(dir, 'store.lock'))).toBe(false);
    const ro = await openStore(dir, { readonly: true });
    expect(ro.ledger()).toHaveLength(2);
    await ro.close();
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/commands/io.ts';
import { run } from '../../src/commands/ledger.ts';
import { UserError } from '../../src/core/errors.ts';
import { openStore } from '../../src/core/store/store.ts';
import { startFixture } from './store-fixtures/child.ts';

const root = mkdtempSync(join(tmpdir(), 'gauntlet-ledger-cmd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A store with two sessions' worth of entries, written through the real API. */
async function populated(): Promise<string> {
  const dir = join(root, `db${n++}`);
  const times = ['2024-02-01T09:00:00.000Z', '2024-02-01T09:00:05.000Z', '2024-02-01T09:01:00.000Z', '2024-02-01T09:02:00.000Z', '2024-02-01T09:03:00.000Z'];
  let t = 0;
  const ts = (): string => times[t++]!;
  const s = await openStore(dir);
  await s.transaction((tx) => {
    tx.appendLedger({ session: 'rsi-1', kind: 'grant', action: 'budget', credit: 1000, ts: ts() });
    tx.appendLedger({ session: 'rsi-1', kind: 'spend', action: 'initial_backtest', cost: 10, proposal_id: 'p1', approval: { by: 'user', decision: 'approved' }, ts: ts() });
    tx.appendLedger({ session: 'rsi-1', kind: 'trial', action: 'backtest', ts: ts() });
    tx.appendLedger({ session: 'rsi-1', kind: 'spend', action: 'add_symbol', cost: 15, proposal_id: 'p2', approval: { by: 'auto', decision: 'approved' }, ts: ts() });
    tx.appendLedger({ session: 'rsi-1', kind: 'record', action: 'gate:viability', ts: ts() });
  });
  await s.close();
  return dir;
}

type Raw = { ledger: Array<Record<string, unknown>> };
const readRaw = (dir: string): Raw => JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')) as Raw;
function tamper(dir: string, fn: (d: Raw) => void): string {
  const d = readRaw(dir);
  fn(d);
  const text = JSON.stringify(d, null, 2);
  writeFileSync(join(dir, 'store.json'), text);
  return text;
}

describe('gauntlet ledger', () => {
  it('--help', async () => {
    const io = bufferIo();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^Usage: gauntlet ledger \[--db DIR\] \[--verify\] \[--json\]/);
  });

  it('prints a table: seq, time, session, kind, action, signed credits, balance, approval', async () => {
    const dir = await populated();
    const io = bufferIo();
    expect(await run(['--db', dir], io)).toBe(0);
    expect(io.stdout()).toBe([
      'seq  time                  session  kind    action             cost  balance  approval',
      '───  ────────────────────  ───────  ──────  ────────────────  ─────  ───────  ────────',
      ' #0  2024-02-01 09:00:00Z  rsi-1    grant   budget            +1000     1000  —',
      ' #1  2024-02-01 09:00:05Z  rsi-1    spend   initial_backtest    −10      990  user',
      ' #2  2024-02-01 09:01:00Z  rsi-1    trial   backtest              0      990  —',
      ' #3  2024-02-01 09:02:00Z  rsi-1    spend   add_symbol          −15      975  auto',
      ' #4  2024-02-01 09:03:00Z  rsi-1    record  gate:viability        0      975  —',
      '',
    ].join('\n'));
    expect(io.stderr()).toBe('');
  });

  it('--verify on an intact ledger: exit 0 and the balances', async () => {
    const dir = await populated();
    const io = bufferIo({ GAUNTLET_DB: dir });
    expect(await run(['--verify'], io)).toBe(0);
    expect(io.stdout()).toContain('verified: 5 entries; hash chain intact; balances add up (rsi-1 975)');
  });

  it('--json prints one object whose entries are exactly the stored ones', async () => {
    const dir = await populated();
    const io = bufferIo();
    expect(await run(['--db', dir, '--json', '--verify'], io)).toBe(0);
    const out = JSON.parse(io.stdout()) as { entries: unknown[]; verify: { ok: boolean; entries: number } };
    expect(out.entries).toEqual(readRaw(dir).ledger);
    expect(out.verify).toEqual({ ok: true, entries: 5, balances: { 'rsi-1': 975 } });
    const plain = bufferIo();
    await run(['--db', dir, '--json'], plain);
    expect(Object.keys(JSON.parse(plain.stdout()) as object)).toEqual(['entries']);
  });

  it('--verify names the first bad entry and exits 1 (the store itself is left as it is)', async () => {
    const dir = await populated();
    const text = tamper(dir, (d) => { d.ledger[3]!.cost = 5; });
    const io = bufferIo();
    expect(await run(['--db', dir, '--verify'], io)).toBe(1);
    expect(io.stderr()).toBe('ledger entry #3: hash does not match its content (edited after it was written?)\n');
    expect(io.stdout()).toContain('✗ #3');
    expect(readFileSync(join(dir, 'store.json'), 'utf8')).toBe(text);

    const js = bufferIo();
    expect(await run(['--db', dir, '--verify', '--json'], js)).toBe(1);
    expect((JSON.parse(js.stdout()) as { verify: unknown }).verify).toMatchObject({ ok: false, first_bad: { seq: 3, code: 'I9' } });
    // Without --verify it only prints.
    expect(await run(['--db', dir], bufferIo())).toBe(0);
  });

  it('--verify catches a deleted entry', async () => {
    const dir = await populated();
    tamper(dir, (d) => { d.ledger.splice(1, 1); });
    const io = bufferIo();
    expect(await run(['--db', dir, '--verify'], io)).toBe(1);
    expect(io.stderr()).toMatch(/^ledger entry #1: is missing: found entry #2 where #1 belongs/);
  });

  it('a corrupt store: UserError with exit code 3, file untouched', async () => {
    const dir = await populated();
    const file = join(dir, 'store.json');
    const text = readFileSync(file, 'utf8').slice(0, 300);
    writeFileSync(file, text);
    const err = await run(['--db', dir, '--verify'], bufferIo()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(3);
    expect((err as UserError).message).toContain(`${file}: not valid JSON`);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('no store yet: says so, creates nothing', async () => {
    const io = bufferIo({}, root);
    expect(await run(['--db', 'nothing-here'], io)).toBe(0);
    expect(io.stdout()).toBe('ledger is empty (no store at ./nothing-here yet)\n');
    expect(existsSync(join(root, 'nothing-here'))).toBe(false);
  });

  it('reads while another process holds the write lock', async () => {
    const dir = await populated();
    const holder = startFixture('hold.ts', [dir]);
    await holder.line(/^ready/);
    const io = bufferIo();
    expect(await run(['--db', dir, '--verify'], io)).toBe(0);
    holder.send('close\n');
    await holder.exited;
  });

  it('bad usage is exit 2', async () => {
    const err = await run(['--bogus'], bufferIo()).catch((e: unknown) => e);
    expect((err as UserError).exitCode).toBe(2);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { openStore } from '../../src/core/store/store.ts';
import { processStart } from '../../src/core/store/lock.ts';
import { deadPid, startFixture, type Child } from './store-fixtures/child.ts';

const root = mkdtempSync(join(tmpdir(), 'gauntlet-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `db${n++}`);

async function refusal(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected the open to be refused');
}

function writeLock(dir: string, info: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'store.lock'), JSON.stringify(info));
}

const lockPid = (dir: string): number => (JSON.parse(readFileSync(join(dir, 'store.lock'), 'utf8')) as { pid: number }).pid;

describe('store lock', () => {
  it('refuses a second process, naming the holder’s pid, host and start time; readers are not blocked', async () => {
    const dir = freshDir();
    const holder = startFixture('hold.ts', [dir]);
    await holder.line(/^ready/);

    const other = startFixture('contend.ts', [dir]);
    await other.line(/^ready/);
    other.send('go\n');
    const line = await other.line(/^(won|refused)/);
    expect(line).toMatch(new RegExp(`^refused 3 store .* is in use by pid ${holder.pid} \\(host ${hostname()}, started \\d{4}-\\d\\d-\\d\\dT.*\\); wait for it to finish or stop it`));
    await other.exited;

    const e = await refusal(openStore(dir));
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain(`is in use by pid ${holder.pid}`);

    const reader = await openStore(dir, { readonly: true });
    expect(reader.ledger()).toEqual([]);
    await reader.close();

    holder.send('close\n');
    await holder.line(/^closed/);
    await holder.exited;
    expect(existsSync(join(dir, 'store.lock'))).toBe(false);
    const s = await openStore(dir);
    await s.close();
  });

  it('refuses a second open in the same process too', async () => {
    const dir = freshDir();
    const s = await openStore(dir);
    const e = await refusal(openStore(dir));
    expect(e.message).toContain(`in use by pid ${process.pid} (this very process, host`);
    await s.close();
  });

  it('releases the lock when the process exits without closing the store', async () => {
    const dir = freshDir();
    const holder = startFixture('hold.ts', [dir]);
    await holder.line(/^ready/);
    expect(lockPid(dir)).toBe(holder.pid);
    holder.send('exit\n');
    expect((await holder.exited).code).toBe(0);
    expect(existsSync(join(dir, 'store.lock'))).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = freshDir();
    const pid = await deadPid();
    writeLock(dir, { pid, hostname: hostname(), started: '2024-01-01T00:00:00.000Z', token: 'dead-one' });
    const s = await openStore(dir);
    expect(lockPid(dir)).toBe(process.pid);
    await s.close();
    expect(existsSync(join(dir, 'store.lock'))).toBe(false);
  });

  it('takes over a stale lock that carries our own pid (a restarted container reuses pids)', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid, hostname: hostname(), started: '2024-01-01T00:00:00.000Z', token: 'previous-life' });
    const s = await openStore(dir);
    expect(JSON.parse(readFileSync(join(dir, 'store.lock'), 'utf8'))).toMatchObject({ pid: process.pid, token: expect.not.stringMatching(/previous-life/) });
    await s.close();
  });

  it('takes over a lock whose pid was recycled by another live process (its start time differs), and refuses the real holder', async () => {
    const live = process.ppid; // alive for the whole test, and not us
    const real = processStart(live);
    if (real === null) return; // no /proc: the start time is not recorded, and a recycled pid refuses (as documented)
    const dir = freshDir();
    writeLock(dir, { pid: live, hostname: hostname(), started: '2024-01-01T00:00:00.000Z', token: 'recycled', proc_start: `${real.split(':')[0]}:1` });
    const s = await openStore(dir);
    expect(lockPid(dir)).toBe(process.pid);
    await s.close();
    const held = freshDir();
    writeLock(held, { pid: live, hostname: hostname(), started: '2024-01-01T00:00:00.000Z', token: 'really-held', proc_start: real });
    expect((await refusal(openStore(held))).message).toMatch(new RegExp(`^store .* is in use by pid ${live} `));
  });

  it('recovers a takeover abandoned by a crash (stale lock and stale takeover lock)', async () => {
    const dir = freshDir();
    const pid = await deadPid();
    writeLock(dir, { pid, hostname: hostname(), started: '2024-01-01T00:00:00.000Z', token: 'dead-lock' });
    writeFileSync(join(dir, 'store.lock.takeover'), JSON.stringify({ pid, hostname: hostname(), started: '2024-01-01T00:00:01.000Z', token: 'dead-takeover' }));
    const s = await openStore(dir);
    expect(lockPid(dir)).toBe(process.pid);
    expect(existsSync(join(dir, 'store.lock.takeover'))).toBe(false);
    await s.close();
  });

  it('never takes over a lock from another host, and says which host holds it', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: await deadPid(), hostname: 'elsewhere.example', started: '2024-01-01T00:00:00.000Z', token: 'remote' });
    const e = await refusal(openStore(dir));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/in use by pid \d+ \(host elsewhere\.example, started 2024-01-01T00:00:00\.000Z\); wait .*; if elsewhere\.example no longer runs gauntlet, delete .*store\.lock$/);
    expect(JSON.parse(readFileSync(join(dir, 'store.lock'), 'utf8'))).toMatchObject({ token: 'remote' });
  });

  it('refuses a lock file it cannot read instead of guessing', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'store.lock'), 'garbage');
    const e = await refusal(openStore(dir));
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain('not a gauntlet lock');
    expect(readFileSync(join(dir, 'store.lock'), 'utf8')).toBe('garbage');
  });

  it('lets exactly one of several processes racing for a stale lock win (5 rounds × 4 processes)', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = freshDir();
      writeLock(dir, { pid: await deadPid(), hostname: hostname(), started: '2024-01-01T00:00:00.000Z', token: `stale-${round}` });
      const racers: Child[] = Array.from({ length: 4 }, () => startFixture('contend.ts', [dir]));
      await Promise.all(racers.map((r) => r.line(/^ready/)));
      for (const r of racers) r.send('go\n');
      const results = await Promise.all(racers.map((r) => r.line(/^(won|refused)/)));
      const winners = racers.filter((_, i) => results[i]!.startsWith('won'));
      expect(winners, results.join('\n')).toHaveLength(1);
      const winner = winners[0]!;
      expect(lockPid(dir)).toBe(winner.pid);
      for (const [i, r] of results.entries()) {
        if (racers[i] === winner) continue;
        expect(r).toMatch(new RegExp(`^refused 3 store .* is in use by pid ${winner.pid} \\(host `));
      }
      winner.send('close\n');
      await Promise.all(racers.map((r) => r.exited));
      expect(existsSync(join(dir, 'store.lock'))).toBe(false);
      expect(existsSync(join(dir, 'store.lock.takeover'))).toBe(false);
    }
  }, 120_000);
});

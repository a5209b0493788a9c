import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/core/store/lock.ts';
import { SYSTEM_READERS, parseLstart, processStart, processStartLike, type StartReaders } from '../../src/core/store/process-start.ts';

/** macOS and the BSDs have no /proc: the lock reads start times through ps there. */
const noProc = (ps: StartReaders['ps']): StartReaders => ({ proc: () => null, ps });
const hasPs = ((): boolean => { try { execFileSync('ps', ['-p', String(process.pid)], { stdio: 'ignore' }); return true; } catch { return false; } })();
const hasProc = SYSTEM_READERS.proc(process.pid) !== null;

describe('process start times (stale locks that survive pid reuse)', () => {
  it('parses ps lstart in the C locale exactly, and nothing else', () => {
    // Weekdays checked against a calendar: 2026-12-04 is a Friday, 2024-02-29 a Thursday, 2026-12-14 a Monday.
    expect(parseLstart('Fri Dec  4 09:57:06 2026\n')).toBe('2026-12-04T09:57:06Z');
    expect(parseLstart('Thu Feb 29 00:00:00 2024')).toBe('2024-02-29T00:00:00Z');
    expect(parseLstart('Mon Dec 14 23:59:59 2026')).toBe('2026-12-14T23:59:59Z');
    expect(parseLstart('Fri Feb 30 00:00:00 2024')).toBeNull(); // no such date
    expect(parseLstart('Sat Dec  4 09:57:06 2026')).toBeNull(); // wrong weekday
    expect(parseLstart('Fri Dec  4 24:00:00 2026')).toBeNull();
    expect(parseLstart('ven. déc.  4 09:57:06 2026')).toBeNull(); // another locale
    expect(parseLstart('Fri Dec  4 09:57 2026')).toBeNull();
    expect(parseLstart('')).toBeNull();
  });

  it('without /proc, reads ps and records the start as ps:<UTC time>', () => {
    const seen: number[] = [];
    const r = noProc((pid) => { seen.push(pid); return 'Fri Dec  4 09:57:06 2026\n'; });
    expect(processStart(4242, r)).toBe('ps:2026-12-04T09:57:06Z');
    expect(seen).toEqual([4242]);
    // A ps that is missing, or says something unparseable, gives no start at all (never a guess).
    expect(processStart(4242, noProc(() => null))).toBeNull();
    expect(processStart(4242, noProc(() => 'STARTED\n'))).toBeNull();
  });

  it('with /proc, reads field 22 of the stat line, even when the command name holds ") "', () => {
    // 52 fields; the command is "(a) b)"; starttime (field 22) is 987654.
    const fields = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '987654', ...Array.from({ length: 30 }, () => '0')];
    const r: StartReaders = { proc: () => ({ stat: `77 (a) b) ${fields.join(' ')}\n`, bootId: 'boot-1' }), ps: () => { throw new Error('ps must not run when /proc answers'); } };
    expect(processStart(77, r)).toBe('boot-1:987654');
  });

  it('judges a recorded start by the reader that wrote it: a ps-form start by ps, a /proc-form start by /proc', () => {
    const calls: string[] = [];
    const r: StartReaders = {
      proc: () => { calls.push('proc'); return { stat: `9 (x) S ${Array.from({ length: 18 }, () => '1').join(' ')} 555 0`, bootId: 'b' }; },
      ps: () => { calls.push('ps'); return 'Fri Dec  4 09:57:06 2026'; },
    };
    expect(processStartLike('ps:2026-12-04T09:57:06Z', 9, r)).toBe('ps:2026-12-04T09:57:06Z');
    expect(calls).toEqual(['ps']);
    expect(processStartLike('b:555', 9, r)).toBe('b:555');
    expect(calls).toEqual(['ps', 'proc']);
  });

  it('a live pid whose ps start differs from the lock’s is a recycled pid (stale); the same start is the holder; no ps refuses', () => {
    const live = process.ppid;
    const ps = (pid: number): string | null => (pid === live ? 'Fri Dec  4 09:57:06 2026' : null);
    const lock = (proc_start: string) => ({ pid: live, hostname: hostname(), proc_start });
    expect(isAlive(lock('ps:2026-12-04T09:57:06Z'), noProc(ps))).toBe(true);
    expect(isAlive(lock('ps:2026-12-04T09:57:05Z'), noProc(ps))).toBe(false);
    // Where the OS cannot tell (no ps, as on Windows), a live pid keeps its lock: refuse rather than steal.
    expect(isAlive(lock('ps:2026-12-04T09:57:05Z'), noProc(() => null))).toBe(true);
  });

  it.skipIf(!hasPs || !hasProc)('the real ps on this machine agrees with /proc to the second (boot time + start ticks)', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const pid = child.pid!;
      const viaPs = processStart(pid, noProc(SYSTEM_READERS.ps));
      expect(viaPs).toMatch(/^ps:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      // Independently: /proc/stat's btime (seconds since the epoch) + starttime ticks / CLK_TCK.
      const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]);
      const ticks = Number(processStart(pid)!.split(':')[1]);
      const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      const fromProc = (btime + ticks / hz) * 1000;
      expect(Math.abs(Date.parse(viaPs!.slice(3)) - fromProc)).toBeLessThanOrEqual(1500);
      // Read twice, the same; and the lock judges it through ps.
      expect(processStart(pid, noProc(SYSTEM_READERS.ps))).toBe(viaPs);
      expect(isAlive({ pid, hostname: hostname(), proc_start: viaPs! })).toBe(true);
      const earlier = new Date(Date.parse(viaPs!.slice(3)) - 1000).toISOString().replace('.000Z', 'Z');
      expect(isAlive({ pid, hostname: hostname(), proc_start: `ps:${earlier}` })).toBe(false);
    } finally {
      child.kill();
    }
  });
});

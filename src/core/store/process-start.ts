import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * When a process started, as a string that two readings of the same process reproduce exactly and
 * a recycled pid (another process given the same number later) does not. The store lock records it
 * so a lock whose pid now belongs to someone else is known to be stale (lock.ts).
 *
 * Two readers, tried in order:
 * - Linux: `/proc/PID/stat` field 22 (start time in clock ticks since boot) with the boot id, as
 *   `<boot id>:<ticks>` (the form earlier versions recorded; exact to a clock tick).
 * - Everywhere else with a POSIX `ps` (macOS, FreeBSD, OpenBSD, NetBSD): `ps -o lstart= -p PID`
 *   run with LC_ALL=C and TZ=UTC, so the text is the C locale's fixed form ("Fri Dec  4 09:57:06
 *   2026"), parsed exactly and recorded as `ps:2026-12-04T09:57:06Z` (exact to a second).
 * Where neither answers (Windows), the start is unknown: a lock then records none, and a lock whose
 * pid is alive is never taken over.
 *
 * A recorded value is compared with a reading by the same reader (its form says which), so a lock
 * written through one reader is never judged by the other.
 */

export interface StartReaders {
  /** The `/proc/PID/stat` text and the boot id, or null where there is no /proc (or no such pid). */
  proc(pid: number): { stat: string; bootId: string } | null;
  /** What `ps -o lstart= -p PID` printed (C locale, UTC), or null where ps is missing or the pid is gone. */
  ps(pid: number): string | null;
}

export const SYSTEM_READERS: StartReaders = {
  proc(pid) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return null;
    }
    let bootId = '';
    try { bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(); } catch { bootId = ''; }
    return { stat, bootId };
  },
  ps(pid) {
    try {
      return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
        encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000,
      });
    } catch {
      // Not installed, or exit 1 because the pid is gone: either way nothing is known.
      return null;
    }
  },
};

const PS_PREFIX = 'ps:';

/** The start of `pid` by the first reader that answers, or null. */
export function processStart(pid: number, readers: StartReaders = SYSTEM_READERS): string | null {
  return procStart(pid, readers) ?? psStart(pid, readers);
}

/** The start of `pid` read the way `recorded` was, so the two compare; null when that reader cannot tell. */
export function processStartLike(recorded: string, pid: number, readers: StartReaders = SYSTEM_READERS): string | null {
  return recorded.startsWith(PS_PREFIX) ? psStart(pid, readers) : procStart(pid, readers);
}

function procStart(pid: number, readers: StartReaders): string | null {
  const r = readers.proc(pid);
  if (r === null) return null;
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
  const fields = r.stat.slice(r.stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields[22 - 3];
  if (ticks === undefined || !/^\d+$/.test(ticks)) return null;
  return `${r.bootId}:${ticks}`;
}

function psStart(pid: number, readers: StartReaders): string | null {
  const text = readers.ps(pid);
  if (text === null) return null;
  const iso = parseLstart(text);
  return iso === null ? null : `${PS_PREFIX}${iso}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LSTART = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * `Fri Dec  4 09:57:06 2026` (ps's lstart in the C locale: day, month, day of month padded to two
 * with a space, time, year) → `2026-12-04T09:57:06Z`. Anything else, or a date that does not exist
 * or falls on another weekday, is null: an unparsed start must never equal another one by accident.
 */
export function parseLstart(text: string): string | null {
  const m = LSTART.exec(text.trim());
  if (m === null) return null;
  const [, wd, mon, d, hh, mm, ss, yyyy] = m as unknown as [string, string, string, string, string, string, string, string];
  const month = MONTHS.indexOf(mon);
  const t = Date.UTC(Number(yyyy), month, Number(d), Number(hh), Number(mm), Number(ss));
  const date = new Date(t);
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== month || date.getUTCHours() !== Number(hh)
    || date.getUTCMinutes() !== Number(mm) || date.getUTCSeconds() !== Number(ss)) return null;
  if (['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()] !== wd) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * The files of one downloading series, built so a killed process loses nothing and repeats nothing:
 * `<dir>/.download/<name>.part` holds the whole series so far (the finished file's rows first, when
 * topping one up), appended page by page and fsynced after each page. On restart a torn last line is cut
 * off and the download resumes one bar after the last complete row. When the range is done the part file
 * is validated like any load and renamed over `<dir>/<name>`.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Bar } from './provider.ts';

export const HEADER = 'time,open,high,low,close,volume\n';
const DAY = 86_400_000;

/** Daily bars by date, intraday bars by full UTC time (midnight included, so one file has one form). */
export function timeText(t: number, daily: boolean): string {
  const iso = new Date(t).toISOString();
  return daily && t % DAY === 0 ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
}

/** Epoch ms of a row's time field (the formats `timeText` writes), NaN otherwise. */
function parseTime(field: string): number {
  const t = Date.parse(field.length === 10 ? `${field}T00:00:00Z` : field);
  return Number.isFinite(t) ? t : NaN;
}

/** Time of the last complete row of a file we wrote, or null when it has none. Cuts a torn last line. */
function lastRowTime(path: string, repair: boolean): number | null {
  const bytes = readFileSync(path);
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] !== 10) {
    // A torn line (the process died mid-write): it was never acknowledged, so it goes.
    end = bytes.lastIndexOf(10) + 1;
    if (repair) {
      const fd = openSync(path, 'r+');
      try { ftruncateSync(fd, end); fsyncSync(fd); } finally { closeSync(fd); }
    }
  }
  const text = bytes.subarray(0, end).toString('utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines.length <= 1) return null;
  return parseTime((lines[lines.length - 1] as string).split(',')[0] as string);
}

export interface SeriesFile {
  readonly final: string;
  readonly part: string;
  /** Last bar time already held (finished file or part file), null when starting fresh. */
  readonly last: number | null;
  /** Bars held before this run added any. */
  readonly heldBefore: number;
  /** True when a part file from an interrupted run was found. */
  readonly resumed: boolean;
  append(bars: readonly Bar[]): void;
  /** Renames the part file over the finished one. */
  finish(): void;
}

function countRows(path: string): number {
  const text = readFileSync(path, 'utf8');
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return Math.max(0, n - 1);
}

export function openSeriesFile(dir: string, name: string, daily: boolean): SeriesFile {
  const final = join(dir, name);
  const work = join(dir, '.download');
  mkdirSync(work, { recursive: true });
  const part = join(work, `${name}.part`);
  const resumed = existsSync(part) && statSync(part).size > 0;
  if (!resumed) {
    if (existsSync(final)) copyFileSync(final, part);
    else {
      const fd = openSync(part, 'w');
      try { writeSync(fd, HEADER); fsyncSync(fd); } finally { closeSync(fd); }
    }
  }
  const last = lastRowTime(part, true);
  const heldBefore = countRows(part);
  return {
    final, part, last, heldBefore, resumed,
    append(bars) {
      if (bars.length === 0) return;
      const text = bars.map((b) => `${timeText(b.t, daily)},${b.o},${b.h},${b.l},${b.c},${b.v}\n`).join('');
      const fd = openSync(part, 'a');
      try { writeSync(fd, text); fsyncSync(fd); } finally { closeSync(fd); }
    },
    finish() {
      renameSync(part, final);
    },
  };
}

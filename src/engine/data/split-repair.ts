/**
 * `data check --repair --split SYMBOL@DATE`: the user confirms a split the check found; it is recorded in
 * the universe's universe.json (`splits`), and every load back-adjusts the bars before it (catalogue.ts).
 * The data file itself is never rewritten, so the original stays what the user brought.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { UniverseFileSchema } from '../../core/universe.ts';
import type { Universe } from './catalogue.ts';
import type { DataReport } from './check.ts';
import { formatTime } from './fields.ts';
import type { SplitSuspect } from './splits.ts';

export interface SplitRequest { readonly symbol: string; readonly date: string }

/** Parses `SYMBOL@YYYY-MM-DD`. */
export function parseSplitRequest(raw: string): SplitRequest {
  const m = /^([A-Za-z0-9._^-]+)@(\d{4}-\d{2}-\d{2})$/.exec(raw.trim());
  if (m === null) throw new UserError(`--split ${raw}: expected SYMBOL@YYYY-MM-DD, the symbol and the date data check reported`);
  return { symbol: m[1] as string, date: m[2] as string };
}

/** Records each requested split in universe.json (atomically); each must be one the check found. */
export function confirmSplits(u: Universe, requests: readonly SplitRequest[], report: DataReport): SplitSuspect[] {
  if (u.kind !== 'directory') throw new UserError('--repair --split records the split in a universe.json: use it with --universe DIR (the bundled data is already split-adjusted)');
  const open = report.files.flatMap((f) => f.splits.filter((s) => !s.confirmed));
  const chosen = requests.map((r) => {
    const hit = open.find((s) => s.symbol === r.symbol && formatTime(s.time).slice(0, 10) === r.date);
    if (hit === undefined) {
      const list = open.map((s) => `${s.symbol}@${formatTime(s.time).slice(0, 10)}`).join(', ');
      throw new UserError(`--split ${r.symbol}@${r.date}: data check finds no likely split of ${r.symbol} on that date, so nothing was changed${list === '' ? '' : `; the likely splits are: ${list}`}`);
    }
    return hit;
  });
  const path = join(u.dir, 'universe.json');
  const file = UniverseFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  for (const s of chosen) {
    const entry = file.symbols[s.symbol];
    if (entry === undefined) throw new UserError(`--split ${s.symbol}: not a symbol of ${path}`);
    entry.splits = [...(entry.splits ?? []), { date: formatTime(s.time).slice(0, 10), ratio: s.ratio }];
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(tmp, path);
  return chosen;
}

/**
 * Prints the grand total of a fault-suite run from the per-file lines tally.ts appended
 * (`scripts/faults.sh` passes the file). Exits 1 if anything was lost or duplicated, or if no
 * file reported at all.
 */
import { readFileSync } from 'node:fs';
import type { TallyLine } from './tally.ts';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: summarise.ts TALLY_FILE');
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TallyLine);
const total = lines.reduce((a, l) => ({ faults: a.faults + l.faults, checked: a.checked + l.checked, lost: a.lost + l.lost, duplicated: a.duplicated + l.duplicated }),
  { faults: 0, checked: 0, lost: 0, duplicated: 0 });
for (const l of lines) console.log(`  ${l.file.padEnd(14)} ${String(l.faults).padStart(5)} faults  ${String(l.checked).padStart(6)} reported items checked  lost ${l.lost}  duplicated ${l.duplicated}`);
console.log(`fault suite: ${total.faults} faults injected in ${lines.length} files, ${total.checked} reported items checked; lost ${total.lost}, duplicated ${total.duplicated}`);
process.exitCode = lines.length === 0 || total.lost > 0 || total.duplicated > 0 ? 1 : 0;

/**
 * Per-file totals of the fault suite: how many faults were injected, how many reported items were
 * checked, and how many ledger entries or records were lost or duplicated (both must be 0). Each
 * file prints its line; with GAUNTLET_FAULT_TALLY=FILE (set by `npm run faults`) it also appends it
 * as JSON, and summarise.ts prints the grand total.
 */
import { appendFileSync } from 'node:fs';
import type { Findings } from './harness.ts';

export interface TallyLine {
  file: string;
  faults: number;
  checked: number;
  lost: number;
  duplicated: number;
}

export class Tally {
  faults = 0;
  checked = 0;
  lost = 0;
  duplicated = 0;
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  add(f: Findings, checked = 0): void {
    this.lost += f.lost.length;
    this.duplicated += f.duplicated.length;
    this.checked += checked;
  }

  line(): TallyLine {
    return { file: this.#file, faults: this.faults, checked: this.checked, lost: this.lost, duplicated: this.duplicated };
  }

  /** Prints (and, under `npm run faults`, records) this file's totals. */
  report(): void {
    const l = this.line();
    console.log(`faults ${l.file}: ${l.faults} faults injected, ${l.checked} reported items checked, lost ${l.lost}, duplicated ${l.duplicated}`);
    const out = process.env.GAUNTLET_FAULT_TALLY;
    if (out !== undefined && out !== '') appendFileSync(out, `${JSON.stringify(l)}\n`);
  }
}

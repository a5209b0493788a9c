import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { LedgerEntry } from '../ledger/schema.ts';
import { isCode, writeFileAtomic } from './atomic-write.ts';
import { STORE_EXIT_CODE } from './parse-store.ts';

/**
 * The ledger's head ({seq, hash} of its last entry), kept in a file of its own. A hash chain proves
 * no entry was edited, but not that none were cut off the end; a head written after every store
 * write does. Written after store.json, so a crash between the two leaves the head behind the
 * ledger (harmless), never ahead of it.
 */
export const headFile = (dir: string): string => join(dir, 'ledger.head');

export interface Head { seq: number; hash: string }

export async function writeLedgerHead(dir: string, ledger: ReadonlyArray<LedgerEntry>): Promise<void> {
  const last = ledger[ledger.length - 1];
  if (last === undefined) return;
  await writeFileAtomic(headFile(dir), `${JSON.stringify({ seq: last.seq, hash: last.hash })}\n`);
}

export async function readHead(dir: string): Promise<Head | null> {
  let text: string;
  try {
    text = await readFile(headFile(dir), 'utf8');
  } catch (e) {
    if (isCode(e, 'ENOENT')) return null; // a store from before the head file, or a fresh one
    throw e;
  }
  try {
    const h = JSON.parse(text) as Partial<Head>;
    if (typeof h.seq === 'number' && typeof h.hash === 'string') return { seq: h.seq, hash: h.hash };
  } catch {
    // unreadable: reported below
  }
  throw new UserError(`${headFile(dir)}: unreadable ledger head; it should hold {"seq", "hash"} of the ledger's last entry`, STORE_EXIT_CODE);
}

/** Refuses a ledger that ends before the recorded head, or whose entry at the head differs from it. */
export async function checkLedgerHead(dir: string, file: string, ledger: ReadonlyArray<LedgerEntry>, read: Head | null | undefined = undefined): Promise<void> {
  // `read`: the head as read before store.json was (see Store.headProblem); else it is read now.
  const head = read === undefined ? await readHead(dir) : read;
  if (head === null) return;
  const last = ledger[ledger.length - 1];
  if (last === undefined || last.seq < head.seq) {
    throw new UserError(`${file}: the ledger ends at entry #${last?.seq ?? 'none'} but ${headFile(dir)} records entry #${head.seq}: entries were removed from the end of the ledger. `
      + 'Nothing is written to this store; restore it from a backup.', STORE_EXIT_CODE);
  }
  const at = ledger[head.seq];
  if (at === undefined || at.hash !== head.hash) {
    throw new UserError(`${file}: ledger entry #${head.seq} does not match the hash recorded in ${headFile(dir)}: the ledger was rewritten. Nothing is written to this store.`, STORE_EXIT_CODE);
  }
}

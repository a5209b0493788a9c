import { lstat, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { UserError } from '../errors.ts';
import { assertAppendOnly } from '../ledger/append-only.ts';
import type { LedgerEntry } from '../ledger/schema.ts';
import { describeBreach, verifyLedger } from '../ledger/verify.ts';
import { deepFreeze } from '../spec/parse.ts';
import { putArtifact, putTextArtifact, readF64Artifact, readJsonArtifact, readTextArtifact } from './artifacts.ts';
import { isCode, sweepTempFiles, writeFileAtomic } from './atomic-write.ts';
import { AtomicDataFile } from './data-file.ts';
import { acquireLock, type StoreLock } from './lock.ts';
import { STORE_EXIT_CODE, parseStoreText, type ParsedStore } from './parse-store.ts';
import { ARTIFACTS_DIR, displayDir, lockFile, storeFile } from './paths.ts';
import { STORE_VERSION, emptyStore, type ArtifactRef, type CollectionName, type RecordOf, type StoreData } from './schema.ts';
import { Draft, type StoreTx } from './transaction.ts';
import { checkLedgerHead, headFile, readHead, writeLedgerHead, type Head } from './ledger-head.ts';

export interface OpenStoreOptions {
  /** Read without taking the lock; nothing can be written, nothing is created, a migration stays in memory. */
  readonly?: boolean;
  /** Clock for new records (tests and replays pass their own). */
  now?: () => Date;
}

/** Fingerprint of store.json as last read or written, to notice another program replacing it under our lock. */
interface Stamp { size: number; mtimeMs: number; ino: number }

/**
 * Opens the store in `dir`. Writable: creates the directory, takes the lock (refusing if another
 * live process holds it), migrates an older file (after a backup), and refuses a store whose
 * ledger fails verification — nothing is appended to a broken chain. Every problem is a
 * UserError with exit code 3, and after one nothing has been written.
 */
export async function openStore(dir: string, opts: OpenStoreOptions = {}): Promise<Store> {
  try {
    return await open(dir, opts);
  } catch (e) {
    throw fsProblem(e, dir, 'open the store');
  }
}

/**
 * Turns an OS refusal (permissions, read-only or full disk, a file-size limit, a file where a
 * directory should be) into a store error that says what to do. Anything else is a bug and stays one.
 */
function fsProblem(e: unknown, path: string, what: string): unknown {
  if (!isCode(e, 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOSPC', 'EDQUOT', 'EFBIG', 'EMFILE')) return e;
  const err = e as NodeJS.ErrnoException;
  return new UserError(`${path}: cannot ${what}: ${err.message}${FS_HINTS[err.code ?? ''] ?? ''}`, STORE_EXIT_CODE);
}

const READ_ONLY_HINT = "\nThe store is read-only for this process; reading commands such as 'gauntlet ledger --verify' still work. "
  + 'To write, fix the permissions or point --db at a writable directory.';
const FULL_HINT = '\nThe disk is full or a file-size limit was reached. What was written before is intact (writes are atomic); '
  + 'free some space and run the command again.';
const FS_HINTS: Record<string, string> = {
  EACCES: READ_ONLY_HINT, EPERM: READ_ONLY_HINT, EROFS: READ_ONLY_HINT, ENOSPC: FULL_HINT, EDQUOT: FULL_HINT, EFBIG: FULL_HINT,
};

async function open(dir: string, opts: OpenStoreOptions): Promise<Store> {
  const now = opts.now ?? (() => new Date());
  const file = storeFile(dir);
  let parsed: ParsedStore | null = null;
  let text = '';
  const adapter = new AtomicDataFile<StoreData>(file, {
    parse: (t) => { text = t; parsed = parseStoreText(t, file, now()); return parsed.data; },
    stringify: (data) => `${JSON.stringify(data, null, 2)}\n`,
  });
  const db = new Low<StoreData>(adapter, emptyStore(now()));

  if (opts.readonly === true) {
    // A consistent snapshot without the lock: a writer replaces store.json before ledger.head, and
    // the ledger only grows, so a head read *before* store.json never names an entry that file lacks.
    // (Read the other way round, a commit in between looks like entries removed: a false tamper alarm.)
    let head: Head | null | string;
    try {
      head = await readHead(dir);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      head = e.message;
    }
    await db.read();
    const found = parsed as ParsedStore | null;
    deepFreeze(db.data);
    return new Store(dir, db, { lock: undefined, exists: found !== null, migratedFrom: migratedFrom(found), stamp: null, now, head });
  }

  await mkdir(dir, { recursive: true });
  const lock = await acquireLock(lockFile(dir), displayDir(dir));
  try {
    await sweepTemps(dir);
    await db.read();
    const found = parsed as ParsedStore | null;
    if (found === null) {
      await db.write();
    } else {
      // Every store is verified before anything is written, a store being migrated included
      // (migrations never touch the ledger, so its chain and head are checked as found).
      const verdict = verifyLedger(db.data.ledger);
      if (!verdict.ok) {
        throw new UserError(`${file}: ${describeBreach(verdict)}\nNothing is written to a store whose ledger fails verification; `
          + `inspect it with 'gauntlet ledger --verify --db ${dir}'.`, STORE_EXIT_CODE);
      }
      await checkLedgerHead(dir, file, db.data.ledger);
      if (found.fromVersion < STORE_VERSION) {
        await writeBackup(file, text, found.fromVersion);
        await db.write();
      }
    }
    deepFreeze(db.data);
    return new Store(dir, db, { lock, exists: true, migratedFrom: migratedFrom(found), stamp: await stampOf(file), now });
  } catch (e) {
    lock.release();
    throw e;
  }
}

const migratedFrom = (p: ParsedStore | null): number | null => (p !== null && p.fromVersion < STORE_VERSION ? p.fromVersion : null);

/** Keeps the pre-migration bytes as store.json.bak-v<n>; never overwrites a different older backup. */
async function writeBackup(file: string, text: string, version: number): Promise<string> {
  for (let n = 0; ; n++) {
    const name = `${file}.bak-v${version}${n === 0 ? '' : `.${n}`}`;
    let existing: string | null = null;
    try {
      existing = await readFile(name, 'utf8');
    } catch (e) {
      if (!isCode(e, 'ENOENT')) throw e;
    }
    if (existing === text) return name;
    if (existing === null) {
      await writeFileAtomic(name, text);
      return name;
    }
  }
}

/**
 * The store writes and sweeps only inside its own directory: an `artifacts` folder (or a folder in
 * it) that is a symbolic link would send artifact writes, and the temp-file sweep's deletions,
 * somewhere else. Refused (exit 3) before anything is written or removed.
 */
async function refuseSymlinks(dir: string): Promise<void> {
  const art = join(dir, ARTIFACTS_DIR);
  const paths = [art];
  try {
    paths.push(...(await readdir(art)).map((d) => join(art, d)));
  } catch (e) {
    if (!isCode(e, 'ENOENT', 'ENOTDIR')) throw e;
  }
  for (const p of paths) {
    let link = false;
    try {
      link = (await lstat(p)).isSymbolicLink();
    } catch (e) {
      if (!isCode(e, 'ENOENT')) throw e;
    }
    if (link) {
      throw new UserError(`${p} is a symbolic link: the store writes (and cleans up) only inside its own directory, so it is not opened for writing. `
        + 'Replace the link with the folder it points to.', STORE_EXIT_CODE);
    }
  }
}

async function sweepTemps(dir: string): Promise<void> {
  await refuseSymlinks(dir);
  await sweepTempFiles(dir);
  let subdirs: string[] = [];
  try {
    subdirs = await readdir(join(dir, ARTIFACTS_DIR));
  } catch (e) {
    if (!isCode(e, 'ENOENT', 'ENOTDIR')) throw e;
  }
  for (const d of subdirs) await sweepTempFiles(join(dir, ARTIFACTS_DIR, d));
}

async function stampOf(file: string): Promise<Stamp | null> {
  try {
    const s = await stat(file);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch (e) {
    if (isCode(e, 'ENOENT')) return null;
    throw e;
  }
}

type NotPromise<T> = T extends PromiseLike<unknown> ? never : T;

export class Store {
  readonly dir: string;
  readonly file: string;
  readonly readonly: boolean;
  /** False when opened read-only on a directory with no store yet (the data is then empty). */
  readonly exists: boolean;
  /** The version the file was migrated from on open, or null. */
  readonly migratedFrom: number | null;
  readonly #db: Low<StoreData>;
  readonly #now: () => Date;
  /** Read-only stores: ledger.head as read just before store.json (a problem reading it, as text). */
  readonly #head: Head | null | string | undefined;
  #lock: StoreLock | undefined;
  #stamp: Stamp | null;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** @internal — use openStore. */
  constructor(dir: string, db: Low<StoreData>, o: { lock: StoreLock | undefined; exists: boolean; migratedFrom: number | null; stamp: Stamp | null; now: () => Date; head?: Head | null | string }) {
    this.dir = dir;
    this.file = storeFile(dir);
    this.readonly = o.lock === undefined;
    this.exists = o.exists;
    this.migratedFrom = o.migratedFrom;
    this.#db = db;
    this.#lock = o.lock;
    this.#stamp = o.stamp;
    this.#now = o.now;
    this.#head = o.head;
  }

  /**
   * Null when the ledger ends where ledger.head says, else the problem (a ledger cut off at its tail
   * still verifies as a chain). A read-only store checks the head it read before store.json, so a
   * session committing meanwhile is never mistaken for entries removed.
   */
  async headProblem(): Promise<string | null> {
    if (typeof this.#head === 'string') return this.#head;
    try {
      await checkLedgerHead(this.dir, this.file, this.#db.data.ledger, this.#head);
      return null;
    } catch (e) {
      if (e instanceof UserError) return e.message;
      throw e;
    }
  }

  /** The whole store as of the last commit (deeply frozen). */
  get data(): Readonly<StoreData> {
    return this.#db.data;
  }

  ledger(): ReadonlyArray<LedgerEntry> {
    return this.#db.data.ledger;
  }

  list<C extends CollectionName>(collection: C): ReadonlyArray<RecordOf<C>> {
    return this.#db.data[collection] as unknown as ReadonlyArray<RecordOf<C>>;
  }

  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    return this.list(collection).find((r) => r.id === id);
  }

  /**
   * Runs `fn` against a draft and writes the result in one atomic write: e.g. a ledger spend and
   * the decision it pays for land together or not at all. `fn` is synchronous so nothing else can
   * interleave; transactions are queued in call order. If `fn` throws, nothing is written.
   */
  transaction<T>(fn: (tx: StoreTx) => NotPromise<T>): Promise<T> {
    this.#writable('write');
    const run = async (): Promise<T> => {
      this.#writable('write');
      const before = this.#db.data;
      const draft = new Draft(before, this.#now);
      const result = fn(draft);
      if (result instanceof Promise) throw new TypeError('a store transaction function must be synchronous');
      if (!draft.changed) return result;
      const next = deepFreeze(draft.result());
      assertAppendOnly(before.ledger, next.ledger);
      await this.#assertUnchangedOnDisk();
      this.#db.data = next;
      try {
        await this.#db.write();
      } catch (e) {
        this.#db.data = before;
        throw fsProblem(e, this.file, 'write the store (it was left as it was)');
      }
      this.#stamp = await stampOf(this.file);
      if (next.ledger.length !== before.ledger.length) {
        try {
          await writeLedgerHead(this.dir, next.ledger);
        } catch (e) {
          // store.json holds the new entries; a head left behind them is harmless (ledger-head.ts).
          throw fsProblem(e, headFile(this.dir), 'record the ledger head (store.json itself was written)');
        }
      }
      return result;
    };
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  /** Writes a content-addressed artifact (before the record that refers to it, so references never dangle). */
  async putArtifact(value: unknown): Promise<ArtifactRef> {
    this.#writable('write an artifact');
    try {
      return await putArtifact(this.dir, value);
    } catch (e) {
      throw fsProblem(e, join(this.dir, ARTIFACTS_DIR), 'write an artifact (nothing refers to it yet)');
    }
  }

  /** Writes text as a content-addressed artifact (a transcript body, transcript-bodies.ts). */
  async putTextArtifact(text: string): Promise<ArtifactRef & { format: 'text' }> {
    this.#writable('write an artifact');
    try {
      return await putTextArtifact(this.dir, text);
    } catch (e) {
      throw fsProblem(e, join(this.dir, ARTIFACTS_DIR), 'write an artifact (nothing refers to it yet)');
    }
  }

  readTextArtifact(hash: string): Promise<string> {
    return readTextArtifact(this.dir, hash);
  }

  readJsonArtifact(hash: string): Promise<unknown> {
    return readJsonArtifact(this.dir, hash);
  }

  readF64Artifact(hash: string): Promise<Float64Array> {
    return readF64Artifact(this.dir, hash);
  }

  /** Waits for queued writes, then releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    this.#lock?.release();
    this.#lock = undefined;
  }

  #writable(what: string): void {
    if (this.#closed) throw new Error(`store ${this.dir} is closed; cannot ${what}`);
    if (this.readonly) throw new Error(`store ${this.dir} was opened read-only; cannot ${what}`);
  }

  /** We hold the lock, so only a program ignoring it (an editor, a sync tool) can have changed the file. */
  async #assertUnchangedOnDisk(): Promise<void> {
    const now = await stampOf(this.file);
    const same = now !== null && this.#stamp !== null && now.size === this.#stamp.size && now.mtimeMs === this.#stamp.mtimeMs && now.ino === this.#stamp.ino;
    if (!same) {
      throw new UserError(`${this.file} was changed on disk by another program while gauntlet held the store lock; `
        + 'not overwriting it. Re-run the command to start from the file as it is now.', STORE_EXIT_CODE);
    }
  }
}

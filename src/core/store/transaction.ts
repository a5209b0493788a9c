import type { z } from 'zod';
import { formatZodError } from '../errors.ts';
import { appendEntry } from '../ledger/chain.ts';
import type { LedgerEntry, LedgerEntryInput } from '../ledger/schema.ts';
import { canonicalJson, sha256 } from '../spec/hash.ts';
import { deepFreeze } from '../spec/parse.ts';
import { RECORD_SCHEMAS, type CollectionName, type RecordInput, type RecordOf, type StoreData } from './schema.ts';

/** Collections whose records never change once written. */
export type AppendOnlyCollection = Exclude<CollectionName, 'specs' | 'sessions' | 'library'>;
/** Collections whose records are replaced by id (a session's status, a library entry's notes). */
export type MutableCollection = 'sessions' | 'library';

/**
 * What a transaction may do. Everything done through one StoreTx lands in one atomic write, or —
 * if the function throws — not at all. There is deliberately no way to change or remove a ledger
 * entry or an append-only record.
 */
export interface StoreTx {
  ledger(): ReadonlyArray<LedgerEntry>;
  list<C extends CollectionName>(collection: C): ReadonlyArray<RecordOf<C>>;
  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined;
  /** Chains, balances and rule-checks the entry (I6, I7); returns it as stored. */
  appendLedger(input: LedgerEntryInput): LedgerEntry;
  /** Specs are content-addressed: `id` must be the sha256 of the spec's canonical JSON; re-adding one is a no-op. */
  addSpec(record: RecordInput<'specs'>): RecordOf<'specs'>;
  append<C extends AppendOnlyCollection>(collection: C, record: RecordInput<C>): RecordOf<C>;
  put<C extends MutableCollection>(collection: C, record: RecordInput<C>): RecordOf<C>;
}

type ArrayKey = { [K in keyof StoreData]: StoreData[K] extends ReadonlyArray<unknown> ? K : never }[keyof StoreData];
type Arrays = { [K in ArrayKey]: StoreData[K] };

export class Draft implements StoreTx {
  readonly #base: StoreData;
  readonly #now: () => Date;
  /** Copy-on-write arrays: only collections this transaction touched are copied. */
  readonly #copies: Partial<Arrays> = {};

  constructor(base: StoreData, now: () => Date) {
    this.#base = base;
    this.#now = now;
  }

  get changed(): boolean {
    return Object.keys(this.#copies).length > 0;
  }

  /** The store after this transaction. Untouched collections keep their (frozen) arrays. */
  result(): StoreData {
    return { ...this.#base, ...this.#copies };
  }

  #read<K extends keyof Arrays>(k: K): ReadonlyArray<Arrays[K][number]> {
    return (this.#copies[k] ?? this.#base[k]) as ReadonlyArray<Arrays[K][number]>;
  }

  #write<K extends keyof Arrays>(k: K): Arrays[K] {
    const existing = this.#copies[k];
    if (existing !== undefined) return existing;
    const copy = [...(this.#base[k] as ReadonlyArray<unknown>)] as Arrays[K];
    this.#copies[k] = copy;
    return copy;
  }

  ledger(): ReadonlyArray<LedgerEntry> {
    return this.#read('ledger');
  }

  list<C extends CollectionName>(collection: C): ReadonlyArray<RecordOf<C>> {
    return this.#read(collection) as ReadonlyArray<RecordOf<C>>;
  }

  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    return this.list(collection).find((r) => r.id === id);
  }

  appendLedger(input: LedgerEntryInput): LedgerEntry {
    const entry = appendEntry(this.#read('ledger'), input, this.#now());
    this.#write('ledger').push(entry);
    return entry;
  }

  addSpec(record: RecordInput<'specs'>): RecordOf<'specs'> {
    const r = validate('specs', record);
    const id = sha256(canonicalJson(r.spec));
    if (id !== r.id) throw new Error(`spec record ${r.id}: id must be the sha256 of the spec's canonical JSON (${id})`);
    const existing = this.get('specs', r.id);
    if (existing !== undefined) return existing;
    this.#write('specs').push(r);
    return r;
  }

  append<C extends AppendOnlyCollection>(collection: C, record: RecordInput<C>): RecordOf<C> {
    const r = validate(collection, record);
    if (this.get(collection, r.id) !== undefined) throw new Error(`${collection}: a record with id "${r.id}" exists; ${collection} records are never replaced`);
    (this.#write(collection) as RecordOf<C>[]).push(r);
    return r;
  }

  put<C extends MutableCollection>(collection: C, record: RecordInput<C>): RecordOf<C> {
    const r = validate(collection, record);
    const arr = this.#write(collection) as RecordOf<C>[];
    const i = arr.findIndex((x) => x.id === r.id);
    if (i >= 0) arr[i] = r;
    else arr.push(r);
    return r;
  }
}

/** Records are checked as they are added, so a transaction can never write what the next read would refuse. */
function validate<C extends CollectionName>(collection: C, record: unknown): RecordOf<C> {
  const schema = RECORD_SCHEMAS[collection] as unknown as z.ZodType<RecordOf<C>>;
  const r = schema.safeParse(record);
  if (!r.success) throw new TypeError(`invalid ${collection} record:\n${formatZodError(r.error, collection)}`);
  return deepFreeze(r.data);
}

import { DEFAULT_COST_TABLE } from '../budget/cost-table.ts';
import { STORE_VERSION } from './schema.ts';

/**
 * Store migrations, version n → n+1, applied in order to the raw JSON before zod validates it
 * against the current schema. Rules for writing one:
 * - never touch `ledger` entries: they are hash-chained as written, so a migration that rewrote
 *   one would turn the whole chain into a tamper report;
 * - be defensive: the input is unvalidated JSON; leave anything unexpected for the schema to reject.
 * openStore writes `store.json.bak-v<n>` (the original bytes) before writing the migrated file.
 */

type Raw = Record<string, unknown>;

export interface Migration {
  from: number;
  to: number;
  describe: string;
  /**
   * Why `raw` is not a store of version `from` (it holds what only a later version writes), or null.
   * A migration runs only on a store that is what its version says: editing `"version"` down must
   * not let a migration rebuild (and so drop) the records a later version keeps.
   */
  refuse(raw: Raw): string | null;
  migrate(raw: Raw, now: Date): Raw;
}

const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * v0 (before sessions and the candidate library were stored) → v1. Sessions are reconstructed from
 * the ledger: one per session id, its budget from the grant entry. v0 had no configurable prices,
 * so the default table is recorded; the status is RUNNING because v0 never recorded an end.
 */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  describe: 'adds the candidate library and session records (rebuilt from the ledger)',
  refuse(raw) {
    const later = ['sessions', 'library'].filter((k) => k in raw);
    return later.length === 0 ? null : `it holds ${later.map((k) => `"${k}"`).join(' and ')}, which only version 1 and later write`;
  },
  migrate(raw, now) {
    const sessions = new Map<string, Raw>();
    const ledger = Array.isArray(raw.ledger) ? raw.ledger : [];
    for (const e of ledger) {
      if (!isObj(e) || typeof e.session !== 'string' || typeof e.ts !== 'string') continue;
      const s = sessions.get(e.session) ?? {
        id: e.session, created_at: e.ts, updated_at: e.ts, status: 'RUNNING', mode: 'interactive',
        spec_id: null, reason: null, budget: { credits: 0, prices: { ...DEFAULT_COST_TABLE } },
      };
      s.updated_at = e.ts;
      if (e.kind === 'grant' && typeof e.credit === 'number') s.budget = { credits: e.credit, prices: { ...DEFAULT_COST_TABLE } };
      if (s.spec_id === null && typeof e.spec_id === 'string') s.spec_id = e.spec_id;
      sessions.set(e.session, s);
    }
    return {
      ...raw,
      version: 1,
      created_at: typeof raw.created_at === 'string' ? raw.created_at : now.toISOString(),
      library: [],
      sessions: [...sessions.values()],
    };
  },
};

/**
 * v1 → v2: judgement v2 names the gate config version of every verdict. Gate records written before
 * it were judged by the v1 gates, so they are tagged "gates@1" and keep their verdict as written
 * (PASS, or DEAD for a v1 failure): a v1 verdict is never re-read with v2 meaning. The ledger is
 * untouched (its gate entries say `pass`, which means the same under both).
 */
const v1ToV2: Migration = {
  from: 1,
  to: 2,
  describe: 'names the gate config version of every verdict (earlier verdicts are gates@1)',
  refuse(raw) {
    const gates = Array.isArray(raw.gates) ? raw.gates : [];
    const named = gates.findIndex((g) => isObj(g) && g.config_version !== undefined);
    return named === -1 ? null : `gates[${named}] names a config_version, which only version 2 and later write`;
  },
  migrate(raw) {
    const gates = Array.isArray(raw.gates) ? raw.gates : [];
    return {
      ...raw,
      version: 2,
      gates: gates.map((g) => (isObj(g) && g.config_version === undefined ? { ...g, config_version: 'gates@1' } : g)),
    };
  },
};

export const MIGRATIONS: ReadonlyArray<Migration> = [v0ToV1, v1ToV2];

/** Thrown when a file's content contradicts its version (parse-store turns it into exit 3). */
export class VersionMismatch extends Error {}

/** Applies every migration from `from` up to STORE_VERSION; returns the raw JSON at STORE_VERSION. */
export function migrateRaw(raw: Raw, from: number, now: Date = new Date()): Raw {
  let out = raw;
  for (let v = from; v < STORE_VERSION; v++) {
    const m = MIGRATIONS.find((x) => x.from === v);
    if (m === undefined || m.to !== v + 1) throw new Error(`no store migration from version ${v} to ${v + 1}`);
    // Only the file as found is checked: a migration's output legitimately has the next version's fields.
    const why = v === from ? m.refuse(out) : null;
    if (why !== null) throw new VersionMismatch(`"version" says ${from}, but ${why}: the version field was changed`);
    out = m.migrate(out, now);
  }
  return out;
}

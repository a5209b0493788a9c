import { openStore } from '../core/store/store.ts';
import { displayDir, resolveDbDir } from '../core/store/paths.ts';
import type { StoreData } from '../core/store/schema.ts';
import { parseCommandArgs } from './args.ts';
import type { Io } from './io.ts';

const SESSIONS_HELP = `Usage: gauntlet sessions [--db DIR] [--json]

Lists the research sessions of a store, oldest first: id, the idea's first line, status (RUNNING,
SUSPENDED, DEAD, FROZEN, KILLED, PROMOTED, INTERRUPTED), credits spent of the budget, and when it
last changed. The id is what 'gauntlet resume ID' (a SUSPENDED session) and 'gauntlet research
--replay ID' take; docs/sessions.md says what each status means.

  --db DIR   the store directory (default: $GAUNTLET_DB, else ./.gauntlet)
  --json     one JSON object: {"sessions": [...]}

Reads without taking the store lock, so it works while a session is running.
`;

const SPECS_HELP = `Usage: gauntlet specs [--db DIR] [--json]

Lists the strategy families of a store (specs sharing one logic hash): the newest version's id prefix
(what 'gauntlet export' takes), its name, how many versions and sessions the family has, and the
status its latest session ended with.

  --db DIR   the store directory (default: $GAUNTLET_DB, else ./.gauntlet)
  --json     one JSON object: {"specs": [...]}
`;

export interface SessionRow { id: string; idea: string; status: string; spent: number; credits: number; updated_at: string; reason: string | null }
export interface SpecRow { id: string; name: string; logic_hash: string; versions: number; sessions: number; last_status: string | null; updated_at: string }

/** Sessions as the store and the ledger record them: the spend is the ledger's sum, never a stored total. */
export function sessionRows(data: StoreData): SessionRow[] {
  const spent = new Map<string, number>();
  const idea = new Map<string, string>();
  for (const e of data.ledger) {
    if (e.kind === 'spend') spent.set(e.session, (spent.get(e.session) ?? 0) + (e.cost ?? 0));
    if (e.action === 'translate' && typeof e.payload.idea === 'string') idea.set(e.session, e.payload.idea.split('\n')[0]!.trim());
  }
  return data.sessions.map((s) => ({
    id: s.id, idea: idea.get(s.id) ?? '', status: s.status, spent: spent.get(s.id) ?? 0, credits: s.budget.credits, updated_at: s.updated_at, reason: s.reason,
  }));
}

/** Families by logic hash, in the order their first version was stored. */
export function specRows(data: StoreData): SpecRow[] {
  const families = new Map<string, StoreData['specs']>();
  for (const r of data.specs) families.set(r.logic_hash, [...(families.get(r.logic_hash) ?? []), r]);
  return [...families].map(([logic, versions]) => {
    const ids = new Set(versions.map((v) => v.id));
    const sessions = data.sessions.filter((s) => s.spec_id !== null && ids.has(s.spec_id));
    const newest = versions[versions.length - 1]!;
    const last = [...sessions].sort((a, b) => a.updated_at.localeCompare(b.updated_at)).at(-1);
    const name = (newest.spec as { name?: unknown }).name;
    return {
      id: newest.id, name: typeof name === 'string' ? name : '?', logic_hash: logic, versions: versions.length, sessions: sessions.length,
      last_status: last?.status ?? null, updated_at: last?.updated_at ?? newest.created_at,
    };
  });
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

async function readStore(argv: string[], io: Io, command: string, help: string): Promise<{ data: StoreData; where: string; exists: boolean; json: boolean } | null> {
  const { values } = parseCommandArgs(command, argv, {
    db: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) { io.out(help); return null; }
  const dir = resolveDbDir(values.db, io.env, io.cwd);
  const store = await openStore(dir, { readonly: true });
  try {
    return { data: store.data, where: displayDir(dir, io.cwd), exists: store.exists, json: values.json };
  } finally {
    await store.close();
  }
}

/**
 * One listing command: the store read, then one JSON object keyed by `kind`, a line saying there is
 * nothing, or a table with one row per item.
 */
async function list<T>(argv: string[], io: Io, kind: 'sessions' | 'specs', help: string, rowsOf: (d: StoreData) => T[], head: string[], cells: (x: T) => string[]): Promise<number> {
  const r = await readStore(argv, io, kind, help);
  if (r === null) return 0;
  const rows = rowsOf(r.data);
  if (r.json) io.out(`${JSON.stringify({ [kind]: rows })}\n`);
  else if (rows.length === 0) io.out(`no ${kind} in ${r.where}${r.exists ? '' : ' (no store there yet)'}\n`);
  else io.out(`${table(head, rows.map(cells))}\n`);
  return 0;
}

export async function runSessions(argv: string[], io: Io): Promise<number> {
  return list(argv, io, 'sessions', SESSIONS_HELP, sessionRows, ['session', 'status', 'credits', 'updated', 'idea'],
    (s) => [s.id, s.status, `${s.spent}/${s.credits}`, s.updated_at.slice(0, 16).replace('T', ' '), clip(s.idea, 60)]);
}

export async function runSpecs(argv: string[], io: Io): Promise<number> {
  return list(argv, io, 'specs', SPECS_HELP, specRows, ['spec', 'versions', 'sessions', 'last', 'name'],
    (s) => [s.id.slice(0, 12), String(s.versions), String(s.sessions), s.last_status ?? '—', s.name]);
}

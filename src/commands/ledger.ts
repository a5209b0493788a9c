import { openStore } from '../core/store/store.ts';
import { missingArtifacts } from '../core/store/artifacts.ts';
import { verifyRecords } from '../core/store/record-digest.ts';
import { displayDir, resolveDbDir } from '../core/store/paths.ts';
import type { LedgerEntry } from '../core/ledger/schema.ts';
import { describeBreach, verifyLedger, type LedgerVerdict } from '../core/ledger/verify.ts';
import { parseCommandArgs } from './args.ts';
import type { Io } from './io.ts';

const HELP = `Usage: gauntlet ledger [--db DIR] [--verify] [--json]

Prints the budget ledger: every grant, spend, trial and record, hash-chained in the order written.

  --db DIR    the store directory (default: $GAUNTLET_DB, else ./.gauntlet)
  --verify    check the hash chain (every hash recomputed, every prev link, contiguous
              sequence numbers) and the balance arithmetic per session; names the first
              bad entry. Also checks the records the ledger speaks for: every spec against
              its id, every closed session's status and records (gate verdicts, decisions,
              reviews, transcripts) against the digest its closing entry holds, and that
              every artifact the store refers to is there with its recorded size (model
              transcript bodies are re-hashed: an altered one is named)
  --json      print exactly one JSON object: {"entries": [...], "verify": {...}}

Reads without taking the store lock, so it works while a session is running (it reads a
consistent snapshot: a session committing meanwhile is never reported as entries removed).
Exit codes: 0 ok, 1 the ledger failed --verify, 2 bad usage, 3 the store is unreadable or invalid.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('ledger', argv, {
    db: { type: 'string' },
    verify: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) { io.out(HELP); return 0; }
  const dir = resolveDbDir(values.db, io.env, io.cwd);
  // Read-only: a reader needs no lock (writes are atomic renames) and must never create or migrate a store.
  const store = await openStore(dir, { readonly: true });
  const entries = store.ledger();
  const verdict = values.verify ? verifyLedger(entries) : undefined;
  // An intact chain can still be a truncated one: the head file says where the ledger should end.
  const headProblem = verdict?.ok === true ? await store.headProblem() : null;
  // The records the ledger speaks for (verdicts, statuses, specs, transcripts) and the artifacts they name.
  const records = verdict?.ok === true
    ? [...verifyRecords(store.data).map((p) => `${p.record}: ${p.reason}`), ...await missingArtifacts(dir, store.data)]
    : [];
  const failed = (verdict !== undefined && !verdict.ok) || headProblem !== null || records.length > 0;

  if (values.json) {
    const verify = verdict === undefined ? undefined : { ...verdict, ...(headProblem === null ? {} : { ok: false, head: headProblem }), ...(records.length === 0 ? {} : { ok: false, records }) };
    io.out(`${JSON.stringify(verify === undefined ? { entries } : { entries, verify })}\n`);
  } else {
    const where = displayDir(dir, io.cwd);
    io.out(entries.length === 0
      ? `ledger is empty${store.exists ? '' : ` (no store at ${where} yet)`}\n`
      : `${renderTable(entries, verdict)}\n`);
    if (verdict?.ok === true && headProblem === null && records.length === 0) io.out(`verified: ${verdict.entries} entries; hash chain intact; balances add up (${balancesLine(verdict)})\n`);
  }
  if (verdict !== undefined && !verdict.ok) io.err(`${describeBreach(verdict)}\n`);
  if (headProblem !== null) io.err(`${headProblem}\n`);
  if (records.length > 0) io.err(`${records.join('\n')}\nThe ledger itself is intact; the records above were changed after it recorded them.\n`);
  return failed ? 1 : 0;
}

function balancesLine(v: LedgerVerdict): string {
  const parts = Object.entries(v.balances).map(([s, b]) => `${s} ${b}`);
  return parts.length === 0 ? 'no sessions' : parts.join(', ');
}

const time = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z');

/** Credits as a signed change: −10 for a spend, +1000 for a grant, 0 for a record. */
function change(e: LedgerEntry): string {
  const d = e.credit - e.cost;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '0';
}

function renderTable(entries: ReadonlyArray<LedgerEntry>, verdict: LedgerVerdict | undefined): string {
  const head = ['seq', 'time', 'session', 'kind', 'action', 'cost', 'balance', 'approval'];
  const badSeq = verdict?.first_bad?.seq;
  const rows = entries.map((e, i) => [
    `${i === badSeq ? '✗ ' : ''}#${e.seq}`, time(e.ts), e.session, e.kind, e.action, change(e), String(e.balance),
    e.approval === undefined ? (e.kind === 'spend' ? 'MISSING' : '—') : e.approval.by,
  ]);
  const right = new Set([0, 5, 6]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((x, c) => (right.has(c) ? x.padStart(widths[c]!) : x.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

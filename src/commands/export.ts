/** `gauntlet export`: a strategy's dossier (spec, versions, trials, gates, decisions, ledger excerpt) as Markdown. */
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { buildDossier } from '../core/report/dossier.ts';
import { renderDossier, verifyText } from '../core/report/dossier-markdown.ts';
import { refuseInsideStore, writeOutputFile } from '../core/store/output-file.ts';
import { displayDir, resolveDbDir } from '../core/store/paths.ts';
import { openStore } from '../core/store/store.ts';
import { verifyRecords } from '../core/store/record-digest.ts';
import { parseCommandArgs } from './args.ts';
import type { Io } from './io.ts';

const HELP = `Usage: gauntlet export SPEC_ID|PREFIX [--db DIR] [--out FILE [--force]] [--json]

Writes the dossier of a strategy: the spec (canonical JSON and in words), every version of it
(the family: every spec with the same logic_hash), every trial the ledger counts, every gate
with its measured values and thresholds, every proposal with its decision, note and cost, the
reviews, the promotion if any, and the ledger entries of the sessions involved, with the result
of verifying the whole chain.

  SPEC_ID     a spec id, or a unique prefix of at least 4 hex digits; any version will do
  --db DIR    the store directory (default: $GAUNTLET_DB, else ./.gauntlet)
  --out FILE  write to FILE (atomically: a reader never sees half a file) instead of stdout;
              an existing FILE is replaced only with --force, and never a file inside a store
  --force     replace FILE if it exists
  --json      the same dossier as one JSON object instead of Markdown

Reads without taking the store lock, so it works while a session is running.
Exit codes: 0 written, 1 written but the ledger fails verification, 2 unknown or ambiguous id or bad usage, 3 the store is unreadable.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', argv, {
    db: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(HELP); return 0; }
  if (positionals.length !== 1) {
    throw new UserError(`gauntlet export: give exactly one spec id or prefix (got ${positionals.length})\nRun 'gauntlet export --help' for usage.`);
  }
  const dir = resolveDbDir(values.db, io.env, io.cwd);
  // Refused before anything is read: the dossier must never land on (and replace) the store itself.
  const file = values.out === undefined ? null : resolve(io.cwd, values.out);
  if (file !== null) refuseInsideStore(file, `gauntlet export: --out ${values.out}`);
  const store = await openStore(dir, { readonly: true });
  if (!store.exists) throw new UserError(`gauntlet export: no store at ${displayDir(dir, io.cwd)}; point --db at the directory a research session wrote`);
  // A record edited after the ledger recorded it (a verdict, a status, the spec) fails the dossier's verification too.
  const records = verifyRecords(store.data).map((p) => `${p.record}: ${p.reason}`);
  const headProblem = (await store.headProblem()) ?? (records.length === 0 ? null : records.join('; '));
  const dossier = buildDossier(store.data, positionals[0]!, { headProblem });
  const text = values.json ? `${JSON.stringify(dossier)}\n` : renderDossier(dossier);
  // The dossier is written either way (it says what failed); the exit code says it too.
  const code = dossier.verify.ok ? 0 : 1;
  if (!dossier.verify.ok) io.err(`gauntlet export: the ledger ${verifyText(dossier)}\n`);
  if (values.out === undefined) {
    io.out(text);
    return code;
  }
  await writeOutputFile(file ?? resolve(io.cwd, values.out), text, { force: values.force, command: 'gauntlet export', flag: '--out', shown: values.out });
  io.out(`wrote ${values.out}: ${dossier.name} (${dossier.spec_id.slice(0, 12)}), ${dossier.versions.length} versions, ${dossier.trials.length} trials, `
    + `${dossier.gates.length} gate records, ${dossier.decisions.length} proposals; ledger ${verifyText(dossier)}\n`);
  return code;
}

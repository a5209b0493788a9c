import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { refuseInsideStore } from '../core/store/output-file.ts';
import { UserError } from '../core/errors.ts';
import { logicHash, paramsHash, specId } from '../core/spec/hash.ts';
import { translate } from '../agents/translate/index.ts';
import { parseCommandArgs } from './args.ts';
import type { Io } from './io.ts';
import { MAX_TEXT_BYTES, readInputText } from '../core/input-file.ts';

const HELP = `Usage: gauntlet translate FILE|TEXT [--json] [--out FILE [--force]] [--name NAME]

Translates a Pine Script strategy (v5 subset; v4 where only names differ) or a plain rule text
into a spec v1, deterministically. Anything outside the subsets is refused with the line and the
construct named. If the argument is an existing file it is read; otherwise it is the text itself:

  gauntlet translate strategy.pine
  gauntlet translate "buy when rsi(14) < 30; sell when rsi(14) > 70; stop 5%; fees 2 bps"

  --json         print one JSON object: {spec, warnings, kind, summary, logic_hash, params_hash, id}
  --out FILE     write the spec there (atomically) instead of printing it
  --force        with --out: replace an existing file
  --name NAME    the spec's name (default: the Pine title or the rule text's "name" statement)

Without --json the spec is printed as JSON; the summary and warnings go to stderr.
Exit codes: 0 translated, 2 refused or bad usage (message on stderr).
`;

/** A path-looking argument that does not exist is a typo, not rule text. */
const LOOKS_LIKE_PATH = /^[^\s;]+\.(pine|txt|json|rules|pinescript)$|^[^\s;]*\/[^\s;]*$/i;

function readInput(arg: string, cwd: string): { text: string; source: string | undefined } {
  const path = resolve(cwd, arg);
  if (existsSync(path)) {
    if (!statSync(path).isFile()) throw new UserError(`gauntlet translate: ${arg} is not a file`);
    try {
      return { text: readInputText(path, arg, MAX_TEXT_BYTES, 'Pine or rules'), source: arg };
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`gauntlet translate: cannot read ${arg} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  if (LOOKS_LIKE_PATH.test(arg)) throw new UserError(`gauntlet translate: ${arg}: no such file (to translate text, quote the rules, e.g. "buy when rsi(14) < 30")`);
  return { text: arg, source: undefined };
}

/** Writes via a temp file in the same directory and a rename, so readers never see half a spec; refuses to replace a file unless `force`. */
function writeAtomically(path: string, shown: string, text: string, force: boolean): void {
  const dir = dirname(path);
  if (!existsSync(dir)) throw new UserError(`gauntlet translate: --out ${shown}: the directory ${dir} does not exist`);
  if (!force && existsSync(path)) throw new UserError(`gauntlet translate: --out ${shown} exists; add --force to replace it`);
  refuseInsideStore(path, `gauntlet translate: --out ${shown}`);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    if (force) {
      renameSync(tmp, path);
    } else {
      // link() fails if the target appeared meanwhile, so no-clobber holds even under a race.
      try {
        linkSync(tmp, path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UserError(`gauntlet translate: --out ${shown} exists; add --force to replace it`);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw e;
        renameSync(tmp, path); // a filesystem without hard links: the existence check above has to do
        return;
      }
      unlinkSync(tmp);
    }
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    if (e instanceof UserError) throw e;
    throw new UserError(`gauntlet translate: cannot write ${shown} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    return execute(argv, io);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    io.err(e.message.endsWith('\n') ? e.message : `${e.message}\n`);
    return e.exitCode;
  }
}

function execute(argv: string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('translate', argv, {
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(HELP); return 0; }
  if (positionals.length === 0) throw new UserError('gauntlet translate: give a FILE or the rule TEXT\nRun \'gauntlet translate --help\' for usage.');
  if (values.force && values.out === undefined) throw new UserError('gauntlet translate: --force goes with --out FILE');
  if (values.name !== undefined && values.name.trim() === '') throw new UserError('gauntlet translate: --name must not be empty');
  // Unquoted rule text arrives as several arguments; a single one may be a file.
  const { text, source } = positionals.length === 1 ? readInput(positionals[0]!, io.cwd) : { text: positionals.join(' '), source: undefined };
  const result = translate(text, { source, name: values.name?.trim() });
  const specText = `${JSON.stringify(result.spec, null, 2)}\n`;
  if (values.out !== undefined) writeAtomically(resolve(io.cwd, values.out), values.out, specText, values.force);
  if (values.json) {
    const { spec, warnings, kind, summary } = result;
    io.out(`${JSON.stringify({ spec, warnings, kind, summary, logic_hash: logicHash(spec), params_hash: paramsHash(spec), id: specId(spec) })}\n`);
  } else if (values.out !== undefined) {
    io.out(`wrote ${values.out}: ${result.summary}\n`);
  } else {
    io.out(specText);
    io.err(`${result.summary}\n`);
  }
  if (!values.json) for (const w of result.warnings) io.err(`warning: ${w}\n`);
  return 0;
}

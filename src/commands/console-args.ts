/**
 * The console's command line: its help texts, its flags, and the idea (or session) they name.
 * (The console itself is console.ts.)
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.ts';
import type { IdeaChoice } from '../ui/state/types.ts';
import { SESSION_FLAGS, argsProblem, negativeValues } from './args.ts';
import type { Io } from './io.ts';
import { looksLikePath } from './idea-arg.ts';

export const CONSOLE_HELP = `Usage: gauntlet [--idea FILE|TEXT | --spec FILE] [--budget N] [--auto-approve N] [--seed S]
                [--symbols A,B,…] [--sector NAME] [--interval I] [--fees BPS] [--slippage BPS]
                [--db DIR] [--universe DIR] [--ollama URL] [--model NAME] [--llm openai --base-url URL] [--offline]

Opens the research console (it needs a terminal). With no idea it offers the bundled examples, a
box for your own idea and the .pine / .txt files under the working directory. Every costed step
the Director proposes waits in the approval inbox: approve, veto, veto with a note, or kill.

  --idea FILE|TEXT   research this idea at once (a file is read; anything else is the idea)
  --spec FILE        research this spec file at once
  --budget N         credits per session (default 1000)
  --auto-approve N   approve proposals cheaper than N credits without asking (shown in the header)
  --seed S           seed for every random choice (default 1)
  --symbols A,B      research only these symbols; --sector NAME only this sector's;
  --interval I       only this interval (1m 5m 15m 1h 4h 1d)
  --fees BPS         fees per fill in basis points for every session, replacing the spec's
  --slippage BPS     slippage per fill likewise (an idea that states no costs gets its market's
                     defaults: docs/costs.md)
  --db DIR           the store (default ./.gauntlet, or $GAUNTLET_DB)
  --universe DIR     a directory of CSVs plus universe.json instead of the bundled data
  --ollama URL       the Ollama host (then $OLLAMA_HOST); --model NAME the model
  --llm openai       an OpenAI-compatible server at --base-url URL instead (docs/local-models.md)
  --offline          deterministic agents only; Ollama is never contacted

Keys: press ? in the console. q or Ctrl-C quits: a running session is SUSPENDED at its next
proposal (nothing is lost) and 'gauntlet resume ID' continues it; only k, confirmed, kills.
Headless: gauntlet research IDEA; every command: gauntlet --help.
`;

export const RESUME_HELP = `Usage: gauntlet resume SESSION [--auto-approve N] [--db DIR] [--ollama URL] [--model NAME] [--llm openai --base-url URL] [--offline]

Continues a SUSPENDED session in the console (q or Ctrl-C suspends one; 'gauntlet sessions' lists
them, and the start screen offers them too). The recorded part is replayed and checked against the
ledger entry for entry, then the proposal that was waiting is offered again. The session keeps its
spec, budget, prices, seed and data, so 'gauntlet research --replay SESSION' reproduces all of it.
A session answered by a model resumes only with the same model; one the rules answered needs none.
See docs/sessions.md.
`;

export const NOT_A_TERMINAL = "gauntlet: the console needs a terminal (stdin and stdout must be a TTY); for a headless session run 'gauntlet research IDEA', and 'gauntlet --help' lists every command";

const CONSOLE_OPTIONS = {
  idea: { type: 'string' },
  resume: { type: 'string' },
  spec: { type: 'string' },
  budget: { type: 'string' },
  'auto-approve': { type: 'string' },
  seed: { type: 'string' },
  ...SESSION_FLAGS,
  db: { type: 'string' },
  universe: { type: 'string' },
  ollama: { type: 'string' },
  model: { type: 'string' },
  llm: { type: 'string' },
  'base-url': { type: 'string' },
  offline: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The console flags; the zod-free parse keeps the messages the other commands give. */
export function parseConsoleArgs(argv: string[]) {
  try {
    return parseArgs({
      args: negativeValues(argv, CONSOLE_OPTIONS),
      options: CONSOLE_OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UserError(`gauntlet: ${argsProblem(e, CONSOLE_OPTIONS)}\nRun 'gauntlet --help' for the console's flags and the commands.`);
  }
}

/** The idea given on the command line, if any: --idea FILE|TEXT or --spec FILE. */
export function initialChoice(values: { idea?: string | undefined; spec?: string | undefined; resume?: string | undefined }, io: Io): IdeaChoice | null {
  if (values.idea !== undefined && values.spec !== undefined) throw new UserError('gauntlet: give --idea or --spec, not both');
  if (values.resume !== undefined && (values.idea !== undefined || values.spec !== undefined)) throw new UserError('gauntlet resume: a resumed session keeps its own idea; leave out --idea and --spec');
  if (values.resume !== undefined) return { label: `resume ${values.resume}`, kind: 'resume', session: values.resume };
  if (values.spec !== undefined) {
    const path = resolve(io.cwd, values.spec);
    if (!existsSync(path) || !statSync(path).isFile()) throw new UserError(`--spec ${values.spec}: no such file`);
    return { label: values.spec, kind: 'spec', path };
  }
  if (values.idea === undefined) return null;
  if (values.idea.trim() === '') throw new UserError('--idea: the idea is empty');
  const path = resolve(io.cwd, values.idea);
  if (values.idea.length < 4096 && existsSync(path) && statSync(path).isFile()) return { label: values.idea, kind: 'file', path };
  if (looksLikePath(values.idea)) throw new UserError(`--idea ${values.idea}: file not found (looked for ${path}); check the path, or quote rule text such as "buy when rsi(14) < 30"`);
  return { label: values.idea.replace(/\s+/g, ' ').slice(0, 60), kind: 'text', text: values.idea };
}

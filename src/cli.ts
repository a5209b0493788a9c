/**
 * The composition root: parses the command line, wires engine, agents and UI together, and maps
 * errors to exit codes (0 ok, 2 bad usage or input, 3 store problem). Users never see a stack trace.
 */
import { UserError } from './core/errors.ts';
import { processIo, type Io } from './commands/io.ts';
import { closest } from './commands/suggest.ts';

interface Command {
  summary: string;
  run: (argv: string[], io: Io) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  research: { summary: 'run the research loop on an idea, headless, to a verdict', run: async (a, io) => (await import('./commands/research.ts')).run(a, io) },
  backtest: { summary: 'run a spec on one symbol and print metrics and trades', run: async (a, io) => (await import('./commands/backtest.ts')).run(a, io) },
  translate: { summary: 'turn a Pine strategy or plain rules into a spec', run: async (a, io) => (await import('./commands/translate.ts')).run(a, io) },
  spec: { summary: 'show, validate, compile-check or diff spec files', run: async (a, io) => (await import('./commands/spec.ts')).run(a, io) },
  data: { summary: 'data tools: check, info, synth, import, download', run: async (a, io) => (await import('./commands/data.ts')).run(a, io) },
  ledger: { summary: 'print or verify the ledger of a store', run: async (a, io) => (await import('./commands/ledger.ts')).run(a, io) },
  export: { summary: 'write the Markdown dossier of a strategy (spec, trials, gates, decisions, ledger)', run: async (a, io) => (await import('./commands/export.ts')).run(a, io) },
  resume: { summary: 'continue a suspended session in the console, from the proposal that waited', run: async (a, io) => (await import('./commands/console.ts')).runResume(a, io) },
  sessions: { summary: 'list the research sessions of a store: id, idea, status, credits, last update', run: async (a, io) => (await import('./commands/lists.ts')).runSessions(a, io) },
  specs: { summary: 'list the strategy families of a store: id, name, versions, last verdict', run: async (a, io) => (await import('./commands/lists.ts')).runSpecs(a, io) },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `gauntlet — research console for systematic trading strategies

Usage: gauntlet [console options]      the research console (needs a terminal; press ? inside)
       gauntlet <command> [options]     (gauntlet <command> --help for details)
       gauntlet --version

Console options:
  --idea FILE|TEXT, --spec FILE   research this at once (else: pick an example, type one, or pick a file)
  --budget N  --auto-approve N    credits per session; approve proposals under N credits without asking
  --seed S  --db DIR  --universe DIR  --ollama URL  --model NAME  --offline   as for 'research'

Commands:
${lines.join('\n')}
`;
}

/** No command, or only flags: the interactive console. */
const CONSOLE: Command = { summary: 'the research console', run: async (a, io) => (await import('./commands/console.ts')).run(a, io) };

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out((await import('./commands/version.ts')).versionText());
    return 0;
  }
  const toConsole = name === undefined || name.startsWith('-');
  const command = toConsole ? CONSOLE : COMMANDS[name];
  if (command === undefined) {
    const near = closest(name!, Object.keys(COMMANDS));
    io.err(`gauntlet: unknown command "${name}"${near === null ? '' : `; did you mean "${near}"?`}\nRun 'gauntlet --help' for the commands.\n`);
    return 2;
  }
  try {
    return await command.run(toConsole ? argv : rest, io);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(e.message.endsWith('\n') ? e.message : `${e.message}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`gauntlet: internal error: ${msg}\nThis is a bug; please report it with the command you ran.\n`);
    if (io.env.GAUNTLET_DEBUG === '1' && e instanceof Error && e.stack !== undefined) io.err(`${e.stack}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /cli\.ts$|gauntlet(\.js)?$/.test(process.argv[1]);
if (invokedDirectly) {
  // A reader that goes away (`gauntlet research … | head`) is not an error: output stops, the work
  // (and its store writes) completes, and nobody sees a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  const code = await main(process.argv.slice(2), processIo());
  process.exitCode = code;
}

import { safeText } from '../core/safe-text.ts';

/** Where a command writes. Tests pass buffers; the CLI passes process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Environment, so tests need not mutate process.env. */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where interactive answers come from (`research --approve ask`); default process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

/**
 * The CLI's output boundary: everything printed passes through the one sanitiser, so a model's
 * reply, a server's error text, a file name or a CSV cell cannot drive the terminal.
 */
export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(safeText(t)),
    err: (t) => process.stderr.write(safeText(t)),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Collects output in memory, for in-process command tests. */
export function bufferIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): Io & { stdout: () => string; stderr: () => string } {
  let o = '';
  let e = '';
  return { out: (t) => { o += t; }, err: (t) => { e += t; }, env, cwd, stdout: () => o, stderr: () => e };
}

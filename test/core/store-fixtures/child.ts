import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A real child process running one of the fixture scripts through tsx, with line-based I/O. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching `re` (lines already seen count). */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
  send(text: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function startFixture(script: string, args: string[] = []): Child {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return start(process.execPath, ['--import', 'tsx', file, ...args]);
}

export function start(cmd: string, args: string[]): Child {
  const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  let buf = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(l);
      for (const w of [...waiters]) if (w.re.test(l)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(l); }
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
  proc.stdin!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    proc,
    pid: proc.pid!,
    exited,
    stderr: () => err,
    send: (t) => { proc.stdin!.write(t); },
    line(re, timeoutMs = 20_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        waiters.push({ re, resolve: (l) => { clearTimeout(timer); resolve(l); } });
        void exited.then(() => setTimeout(() => reject(new Error(`child exited without a line matching ${re}; stdout: ${lines.join('\n')}; stderr: ${err}`)), 50));
      });
    },
  };
}

/** The pid of a process that has certainly exited. */
export async function deadPid(): Promise<number> {
  const c = start(process.execPath, ['-e', '']);
  await c.exited;
  return c.pid;
}

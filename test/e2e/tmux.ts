/**
 * A real terminal for end-to-end tests and screen captures: one tmux session on a private server
 * (its own `-L` socket under its own TMUX_TMPDIR, no user config), so a test never touches a
 * user's tmux. The program runs in the pane with exactly the environment given here (CI, for one,
 * is left out: Ink 6 draws nothing but the final frame when CI is set). The pane stays after the
 * program exits, so its exit status can be read.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A POSIX shell word for `s`. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface TerminalOptions {
  /** The program and its arguments. */
  argv: string[];
  cwd: string;
  /** The program's whole environment besides PATH, HOME and LANG. */
  env?: Record<string, string>;
  columns?: number;
  rows?: number;
}

export interface Terminal {
  /** The screen as text, one line per row, trailing blanks trimmed (`capture-pane -p`). */
  screen(): Promise<string>;
  /** The scrollback and the screen, oldest line first (`capture-pane -p -S -`). */
  scrollback(): Promise<string>;
  /** Named keys (`Tab`, `Enter`, `Escape`) or single characters, one key each. */
  keys(...keys: string[]): Promise<void>;
  /** Literal text, as if typed. */
  type(text: string): Promise<void>;
  /** Polls the screen until `pred` holds; rejects after `ms` with the last screen. */
  waitFor(pred: (screen: string) => boolean, what: string, ms?: number): Promise<string>;
  /** The program's exit status once it has exited (128 + N for signal N, as a shell says), else null. */
  exitStatus(): Promise<number | null>;
  /** Resolves with the exit status when the program exits; rejects after `ms`. */
  exited(ms?: number): Promise<number>;
  size(): Promise<{ columns: number; rows: number }>;
  /** Resizes the window (the program sees SIGWINCH, as when a user drags the terminal). */
  resize(columns: number, rows: number): Promise<void>;
  /** Ends the tmux server (and the program, if it still runs) and removes the private directory. */
  close(): Promise<void>;
}

let serial = 0;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function openTerminal(o: TerminalOptions): Promise<Terminal> {
  const dir = mkdtempSync(join(tmpdir(), 'gauntlet-tmux-'));
  const socket = `gauntlet-e2e-${process.pid}-${++serial}`;
  const conf = join(dir, 'tmux.conf');
  writeFileSync(conf, 'set -g status off\nset -g remain-on-exit on\nset -g history-limit 2000\n');
  // The server (and so the pane) starts from this environment only.
  const tmuxEnv: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, LANG: 'C.UTF-8', TMUX_TMPDIR: dir, TERM: 'xterm-256color' };
  const tmux = (args: string[]): Promise<string> => new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socket, '-f', conf, ...args], { env: tmuxEnv, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`tmux ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
  const target = ['-t', 'console'];
  const command = ['exec', 'env', ...Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`), ...o.argv].map(shellWord).join(' ');
  await tmux(['new-session', '-d', '-s', 'console', '-x', String(o.columns ?? 100), '-y', String(o.rows ?? 30), '-c', o.cwd, command]);

  /**
   * tmux built with libutempter can miss a pane's SIGCHLD (tmux/tmux#311): the program is a zombie
   * and the pane never dies. Its maintainer's remedy is to send tmux a SIGCHLD, which makes it reap.
   */
  const reapNudge = async (): Promise<void> => {
    const [panePid, serverPid] = (await tmux(['display-message', '-p', ...target, '#{pane_pid} #{pid}'])).trim().split(' ').map(Number);
    let state = '';
    try { state = /^\d+ \(.*\) (\S)/s.exec(readFileSync(`/proc/${panePid}/stat`, 'utf8'))?.[1] ?? ''; } catch { return; }
    if (state === 'Z' && serverPid !== undefined && serverPid > 0) process.kill(serverPid, 'SIGCHLD');
  };

  const t: Terminal = {
    screen: async () => (await tmux(['capture-pane', '-p', ...target])).replace(/\n$/, ''),
    scrollback: async () => (await tmux(['capture-pane', '-p', '-S', '-', ...target])).replace(/\n$/, ''),
    keys: async (...keys) => { for (const k of keys) await tmux(['send-keys', ...target, k]); },
    type: async (text) => { await tmux(['send-keys', ...target, '-l', text]); },
    waitFor: async (pred, what, ms = 30_000) => {
      const t0 = Date.now();
      let last = '';
      for (;;) {
        last = await t.screen();
        if (pred(last)) return last;
        if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}; the screen:\n${last}`);
        await sleep(100);
      }
    },
    exitStatus: async () => {
      // tmux marks the pane dead when its terminal closes and learns the status a moment later.
      const [dead, status, signal] = (await tmux(['display-message', '-p', ...target, '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}'])).trim().split(':');
      if (dead !== '1') return null;
      if (status !== undefined && status !== '') return Number(status);
      return signal !== undefined && signal !== '' ? 128 + Number(signal) : null;
    },
    exited: async (ms = 15_000) => {
      const t0 = Date.now();
      for (;;) {
        const s = await t.exitStatus();
        if (s !== null) return s;
        if (Date.now() - t0 > ms) throw new Error(`the program did not exit within ${ms} ms; the screen:\n${await t.screen()}`);
        await reapNudge();
        await sleep(100);
      }
    },
    size: async () => {
      const [columns, rows] = (await tmux(['display-message', '-p', ...target, '#{pane_width} #{pane_height}'])).trim().split(' ').map(Number);
      return { columns: columns!, rows: rows! };
    },
    resize: async (columns, rows) => {
      await tmux(['resize-window', ...target, '-x', String(columns), '-y', String(rows)]);
    },
    close: async () => {
      await tmux(['kill-server']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

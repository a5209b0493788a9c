/**
 * `gauntlet resume` as a command: its help, and the refusals a user meets before any terminal is
 * needed — no session id, an unknown session, a session that has ended — each one whole message,
 * exit 2, nothing written. (The resume itself: test/research/suspend-resume.test.ts and the tmux test.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESUME_HELP } from '../../src/commands/console-args.ts';
import { cli, inproc, workspace } from '../research/helpers.ts';

const ws = workspace('resume-cmd');
const db = join(ws.dir, 'db');
afterAll(() => ws.cleanup());
beforeAll(async () => {
  const r = await inproc(['research', 'buy when rsi(14) < 30; sell when rsi(14) > 70', '--approve', 'none', '--budget', '50', '--db', db, '--offline', '--symbols', 'AAPL'], ws.env);
  expect([0, 1]).toContain(r.code);
}, 60_000);

describe('gauntlet resume', () => {
  it('--help says what it does and points at the docs in the repo', async () => {
    const r = await inproc(['resume', '--help'], ws.env);
    expect(r).toEqual({ code: 0, stdout: RESUME_HELP, stderr: '' });
    expect(RESUME_HELP).toContain('docs/sessions.md');
    expect(existsSync(join(process.cwd(), 'docs/sessions.md'))).toBe(true);
    const top = await inproc(['--help'], ws.env);
    expect(top.stdout).toMatch(/^ {2}resume +continue a suspended session in the console, from the proposal that waited$/m);
  });

  it('refuses, in one whole message and exit 2, what it cannot resume', async () => {
    const before = readFileSync(join(db, 'store.json'), 'utf8');
    const status = JSON.parse(before).sessions[0].status as string;
    const reason = JSON.parse(before).sessions[0].reason as string;
    const cases: Array<[string[], string]> = [
      [['resume'], "gauntlet resume: which session? Give its id first, e.g. 'gauntlet resume s1-3'; 'gauntlet sessions' lists them"],
      [['resume', '--db', db], "gauntlet resume: which session? Give its id first, e.g. 'gauntlet resume s1-3'; 'gauntlet sessions' lists them"],
      [['resume', 's7-7', '--db', db], `gauntlet resume: no session "s7-7" in this store; 'gauntlet sessions' lists them`],
      [['resume', 's1-1', '--db', db], `gauntlet resume: session s1-1 is ${status} (${reason}): only a SUSPENDED session can be resumed; 'gauntlet research --replay s1-1' re-runs it`],
      [['resume', 's1-1', '--db', join(ws.dir, 'nowhere')], `gauntlet resume: no store at ${join(ws.dir, 'nowhere')}, so no session "s1-1"; give the store with --db DIR`],
      [['resume', 's1-1', '--idea', 'x', '--db', db], 'gauntlet resume: a resumed session keeps its own idea; leave out --idea and --spec'],
    ];
    for (const [args, message] of cases) {
      const r = await inproc(args, ws.env);
      expect(r.stderr, args.join(' ')).toBe(`${message}\n`);
      expect(r.code).toBe(2);
    }
    expect(readFileSync(join(db, 'store.json'), 'utf8')).toBe(before);
    expect(existsSync(join(ws.dir, 'nowhere'))).toBe(false);
  });

  it('a mistyped command is pointed at resume', async () => {
    const r = await cli(['resum', 's1-1'], ws.env);
    expect(r.stderr).toBe('gauntlet: unknown command "resum"; did you mean "resume"?\nRun \'gauntlet --help\' for the commands.\n');
    expect(r.code).toBe(2);
  });
});

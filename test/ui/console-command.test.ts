import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_HELP, NOT_A_TERMINAL } from '../../src/commands/console-args.ts';
import { exampleIdeas, ideaFiles, ideaText } from '../../src/commands/ideas.ts';
import { RulesTranslator } from '../../src/agents/rules/index.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { STACK_FRAME, cli, inproc, workspace } from '../research/helpers.ts';

/** `gauntlet` with no command: the terminal check, the flags, and what the start screen offers. */
describe('gauntlet (the console command)', () => {
  const ws = workspace('console-cmd');
  afterAll(() => ws.cleanup());

  it('without a terminal says so in one line, exits 2 and touches no store', async () => {
    const db = join(ws.dir, 'never');
    const r = await cli(['--offline', '--db', db], ws.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${NOT_A_TERMINAL}\n`);
    expect(r.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('--fees / --slippage are checked before anything else: a bad value exits 2 naming the flag, nothing written', async () => {
    for (const [args, message] of [
      [['--fees', '-1'], 'gauntlet console: --fees must be basis points per fill, a number from 0 to 1000, got "-1"'],
      [['--slippage', 'abc'], 'gauntlet console: --slippage must be basis points per fill, a number from 0 to 1000, got "abc"'],
      [['--fees'], 'gauntlet: --fees needs a value\nRun \'gauntlet --help\' for the console\'s flags and the commands.'],
    ] as const) {
      const db = join(ws.dir, 'never-costs');
      const r = await inproc(['--offline', '--db', db, ...args], ws.env);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`${message}\n`);
      expect(existsSync(db)).toBe(false);
    }
  });

  it('--help lists the console flags; gauntlet --help lists them and the commands', async () => {
    const h = await inproc(['--offline', '--help'], ws.env);
    expect(h).toMatchObject({ code: 0, stdout: CONSOLE_HELP, stderr: '' });
    for (const flag of ['--idea', '--spec', '--budget', '--auto-approve', '--seed', '--fees', '--slippage', '--db', '--universe', '--ollama', '--model', '--offline']) expect(CONSOLE_HELP).toContain(flag);
    const top = await inproc(['--help'], ws.env);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('--auto-approve N');
    expect(top.stdout).toContain('research ');
  });

  it('bad flags are exit 2 with a message naming the flag, never a stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /^gauntlet: unknown option --bogus\n/],
      [['--budjet', '5'], /^gauntlet: unknown option --budjet; did you mean --budget\?\n/],
      [['--budget', '0'], /--budget must be an integer ≥ 1, got "0"/],
      [['--auto-approve', '2.5'], /--auto-approve must be an integer ≥ 0, got "2.5"/],
      [['--idea', 'x', '--spec', 'y'], /give --idea or --spec, not both/],
      [['--spec', 'no/such/spec.json'], /--spec no\/such\/spec\.json: no such file/],
      [['--idea', '   '], /--idea: the idea is empty/],
    ];
    for (const [args, re] of cases) {
      const r = await inproc(args, ws.env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
  });

  it('every bundled example it offers translates and compiles', async () => {
    const ex = exampleIdeas();
    expect(ex.filter((e) => e.kind === 'spec')).toHaveLength(14);
    expect(ex.filter((e) => e.kind === 'pine')).toHaveLength(27); // fixtures 01–12, 17–28, 33–35 (INDEX.md)
    expect(ex.filter((e) => e.kind === 'text').length).toBeGreaterThanOrEqual(3);
    const t = new RulesTranslator();
    for (const e of ex) {
      const out = await t.translate(ideaText(e, ws.dir));
      expect(() => compile(out.value.spec), e.label).not.toThrow();
    }
  });

  it('the file picker lists .pine and .txt files that look like strategies, skipping hidden, vendored, data, fixture and empty ones', () => {
    const d = join(ws.dir, 'picker');
    for (const sub of ['notes', 'node_modules/x', '.hidden', 'a/b/c/d/e', 'data/sp500', 'test/fixtures']) mkdirSync(join(d, sub), { recursive: true });
    writeFileSync(join(d, 'data/sp500', 'SOURCE.txt'), 'DATASET: daily bars\nORIGIN: …\n');
    writeFileSync(join(d, 'test/fixtures', 'entry.txt'), 'buy when close > open\n');
    writeFileSync(join(d, 'notes', 'README.txt'), 'notes about the project\n');
    writeFileSync(join(d, 'notes', 'study.pine'), '//@version=5\nindicator("Not a strategy")\n');
    writeFileSync(join(d, 'mine.pine'), '//@version=5\nstrategy("My cross")\n');
    writeFileSync(join(d, 'notes', 'idea.txt'), 'buy when rsi(2) < 10\nmore\n');
    writeFileSync(join(d, 'notes', 'empty.txt'), '');
    writeFileSync(join(d, 'notes', 'data.csv'), 'a,b\n');
    writeFileSync(join(d, 'node_modules/x', 'vendored.pine'), 'x');
    writeFileSync(join(d, '.hidden', 'secret.txt'), 'x');
    writeFileSync(join(d, 'a/b/c/d/e', 'deep.txt'), 'x');
    writeFileSync(join(d, 'a/b/c/d', 'four.txt'), 'four deep: sell the rip');
    expect(ideaFiles(d).map((f) => [f.label, f.about])).toEqual([
      [join('a', 'b', 'c', 'd', 'four.txt'), 'four deep: sell the rip'],
      ['mine.pine', 'My cross'],
      [join('notes', 'idea.txt'), 'buy when rsi(2) < 10'],
    ]);
    expect(() => ideaText({ label: 'e', kind: 'file', path: join(d, 'notes', 'empty.txt') }, d)).toThrow(/the file is empty/);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { UniverseFileSchema } from '../../src/core/universe.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { runSynth } from '../../src/commands/dataSynth.ts';

const root = mkdtempSync(join(tmpdir(), 'gauntlet-data-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => `out${n++}`;

/** Runs the command as the CLI does: a UserError becomes its exit code and a message on stderr. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIo({}, root);
  let code: number;
  try {
    code = await runSynth(argv, io);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    io.err(`${e.message}\n`);
    code = e.exitCode;
  }
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('gauntlet data synth', () => {
  it('writes a market relative to the cwd and prints a one-paragraph summary', async () => {
    const out = fresh();
    const r = await run(['--out', out, '--symbols', '6', '--sectors', '2', '--interval', '1h', '--days', '10', '--seed', '3', '--edge', 'mean_reversion:SEC2:0.5']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toContain(join(root, out));
    expect(r.out).toContain('6 symbols');
    expect(r.out).toContain('2 sectors');
    expect(r.out).toContain('70 bars per symbol');
    expect(r.out).toContain('mean reversion in SEC2 at strength 0.5');
    const files = readdirSync(join(root, out)).sort();
    expect(files).toEqual(['S01A.csv', 'S01B.csv', 'S01C.csv', 'S02A.csv', 'S02B.csv', 'S02C.csv', 'universe.json']);
    const u = UniverseFileSchema.parse(JSON.parse(readFileSync(join(root, out, 'universe.json'), 'utf8')));
    expect(u.edge).toMatchObject({ kind: 'mean_reversion', sector: 'SEC2', strength: 0.5 });
    expect(u.synthetic).toMatchObject({ seed: 3, symbols: 6, sectors: 2, interval: '1h', days: 10 });
  });

  it('uses the documented defaults and prints one JSON object with --json', async () => {
    const out = fresh();
    const r = await run(['--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j).toMatchObject({
      dir: join(root, out), seed: 1, symbols: 20, sectors: 4, interval: '1d', days: 504,
      start: '2020-01-02', bars_per_day: 1, bars_per_symbol: 504, edge: { kind: 'none' },
    });
    expect((j.files as string[]).length).toBe(21);
    // The 504th weekday from Thursday 2020-01-02 is Tuesday 2021-12-07 (counted with Python's datetime).
    expect(j.end).toBe('2021-12-07');
  });

  it('gives the same bytes for the same flags', async () => {
    const [a, b] = [fresh(), fresh()];
    const flags = ['--symbols', '4', '--sectors', '2', '--interval', '5m', '--days', '3', '--edge', 'trend:SEC1:1'];
    expect((await run(['--out', a, ...flags])).code).toBe(0);
    expect((await run(['--out', b, ...flags])).code).toBe(0);
    for (const f of readdirSync(join(root, a))) expect(readFileSync(join(root, a, f)).equals(readFileSync(join(root, b, f))), f).toBe(true);
  });

  it('prints help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: gauntlet data synth');
    expect(r.out).toContain('--edge');
  });

  const bad: [string, string[], RegExp][] = [
    ['missing --out', [], /--out DIR is required/],
    ['unknown edge sector', ['--edge', 'trend:SEC9:0.5'], /--edge sector "SEC9".*SEC1, SEC2, SEC3, SEC4/],
    ['edge strength above 1', ['--edge', 'mean_reversion:SEC1:1.5'], /--edge strength must be a number in \[0, 1\], got "1.5"/],
    ['edge strength not a number', ['--edge', 'trend:SEC1:abc'], /--edge strength/],
    ['edge kind', ['--edge', 'momentum:SEC1:0.5'], /--edge kind must be mean_reversion or trend/],
    ['edge format', ['--edge', 'trend'], /--edge must be none, mean_reversion:SECTOR:STRENGTH/],
    ['interval off the ladder', ['--interval', '10m'], /--interval must be one of 1m, 5m, 15m, 1h, 4h, 1d, got "10m"/],
    ['sectors above symbols', ['--symbols', '3', '--sectors', '4'], /--sectors \(4\) must not exceed --symbols \(3\)/],
    ['seed negative', ['--seed=-1'], /--seed must be an integer ≥ 0/],
    ['seed not an integer', ['--seed', '1.5'], /--seed must be an integer/],
    ['days zero', ['--days', '0'], /--days must be an integer ≥ 1/],
    ['symbols not a number', ['--symbols', 'many'], /--symbols must be an integer/],
    ['too many bars', ['--symbols', '1000', '--interval', '1m', '--days', '100'], /--symbols × --days × bars per day/],
    ['bad start', ['--start', '2020-13-01'], /--start must be a date YYYY-MM-DD/],
    ['unknown flag', ['--colour', 'red'], /unknown option --colour/],
  ];
  for (const [what, flags, message] of bad) {
    it(`exits 2 naming the flag: ${what}`, async () => {
      const args = what === 'missing --out' ? flags : ['--out', fresh(), ...flags];
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
    });
  }

  it('refuses a directory holding a universe or CSVs unless --force', async () => {
    const out = fresh();
    expect((await run(['--out', out, '--symbols', '4', '--days', '5'])).code).toBe(0);
    const again = await run(['--out', out, '--symbols', '2', '--sectors', '2', '--days', '5']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--out .* already holds .*universe\.json.*pass --force/);
    const forced = await run(['--out', out, '--symbols', '2', '--sectors', '2', '--days', '5', '--force']);
    expect(forced.code).toBe(0);
    expect(readdirSync(join(root, out)).sort()).toEqual(['S01A.csv', 'S02A.csv', 'universe.json']);

    const file = fresh();
    writeFileSync(join(root, file), 'not a dir');
    const r = await run(['--out', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out .* is not a directory/);

    const csv = fresh();
    mkdirSync(join(root, csv));
    writeFileSync(join(root, csv, 'MINE.csv'), 'time,close\n');
    expect((await run(['--out', csv])).err).toMatch(/MINE\.csv/);
    expect(readFileSync(join(root, csv, 'MINE.csv'), 'utf8')).toBe('time,close\n');
  });
});

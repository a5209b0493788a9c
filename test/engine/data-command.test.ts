import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { stockLine, tempDir, writeTemp } from './data-helpers.ts';

async function gauntlet(args: string[], cwd = process.cwd()) {
  const io = bufferIo({ GAUNTLET_CACHE: tempDir('gauntlet-cache-') }, cwd);
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const GOOD = 'date,open,high,low,close,volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10.5,12,10,11,0\n';
const BAD = 'date,open,high,low,close,volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10.5,9,10,11,0\n2020-01-03,10.5,12,10,11,0\n';

describe('gauntlet data', () => {
  it('help at every level', async () => {
    expect((await gauntlet(['data'])).out).toMatch(/check .*\n.*info .*\n.*synth/);
    const check = await gauntlet(['data', 'check', '--help']);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/Exit status: 0 the check ran and found no errors/);
    expect((await gauntlet(['data', 'info', '--help'])).out).toMatch(/Usage: gauntlet data info/);
    expect((await gauntlet(['data', 'synth', '--help'])).code).toBe(0);
  });

  it('usage errors exit 2 with a message', async () => {
    const r = await gauntlet(['data', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate"/);
    expect((await gauntlet(['data', 'check', '--bogus'])).code).toBe(2);
    const missing = await gauntlet(['data', 'check', 'no-such.csv'], tempDir());
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no-such\.csv: file not found/);
  });

  it('check FILE: 0 when clean, 1 with errors listed by file:line', async () => {
    const dir = tempDir();
    writeTemp(dir, 'good.csv', GOOD);
    writeTemp(dir, 'bad.csv', BAD);
    const ok = await gauntlet(['data', 'check', 'good.csv'], dir);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/✓ good\.csv: ohlcv, 2 rows/);
    const bad = await gauntlet(['data', 'check', 'good.csv', 'bad.csv'], dir);
    expect(bad.code).toBe(1);
    // a one-symbol file's rows are named after the file; line 4 repeats line 3's date, but line 3 is broken,
    // so line 4 is not a duplicate
    expect(bad.out).toContain('bad.csv:3: bad: high 9 < low 10');
    expect(bad.out).not.toContain('bad.csv:4:');
    const json = await gauntlet(['data', 'check', '--json', 'bad.csv'], dir);
    const rep = JSON.parse(json.out) as { ok: boolean; totals: { errors: number }; files: { errors: { line: number }[] }[] };
    expect(json.code).toBe(1);
    expect(rep.ok).toBe(false);
    expect(rep.files[0]!.errors.map((e) => e.line)).toEqual([3]);
  });

  it('check and info on a universe directory', async () => {
    const dir = tempDir();
    writeTemp(dir, 'ACME.csv', GOOD);
    writeTemp(dir, 'universe.json', JSON.stringify({ schema: 'gauntlet/universe@1', name: 'tiny', symbols: { ACME: { sector: 'Industrials' } } }));
    const c = await gauntlet(['data', 'check', '--universe', '.'], dir);
    expect(c.code).toBe(0);
    const i = await gauntlet(['data', 'info', '--universe', '.', '--json'], dir);
    expect(i.code).toBe(0);
    const info = JSON.parse(i.out) as { name: string; symbolCount: number; symbols: { symbol: string; intervals: string[]; native: { first: string; last: string }[] }[] };
    expect(info).toMatchObject({ name: 'tiny', symbolCount: 1 });
    expect(info.symbols[0]).toMatchObject({ symbol: 'ACME', intervals: ['1d'] });
    expect(info.symbols[0]!.native[0]).toMatchObject({ first: '2020-01-02T00:00:00.000Z', last: '2020-01-03T00:00:00.000Z' });
    const text = await gauntlet(['data', 'info', '--universe', '.'], dir);
    expect(text.out).toMatch(/Universe: tiny .* 1 symbol, 1 sector/);
    const bad = await gauntlet(['data', 'info', '--universe', 'nope'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/nope: universe directory not found/);
  });

  it('check on the bundled data reports the known bad rows and ticks (exit 1)', async () => {
    const r = await gauntlet(['data', 'check']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`all_stocks_5yr.csv.gz:${stockLine('AOS', '2014-05-19')}: AOS: high 23.595 < low 23.85`);
    expect(r.out).toContain(`all_stocks_5yr.csv.gz:${stockLine('NWL', '2017-09-14')}: warning: NWL: suspected bad tick`);
    expect(r.out).toContain('… and 3 more');
    expect(r.out).toMatch(/8 files, 510 series, 742,250 rows: 23 errors, 5 warnings, 1 likely unadjusted split, 8 calendar gaps\./);
    // The one split finding is NI's spin-off, which the stock set's SOURCE.txt lists as unadjusted.
    expect(r.out).toContain('warning: NI 2015-07-02: likely unadjusted 5:2 split (or another corporate action, such as a spin-off)');
    // Calendar gaps: SOURCE.txt lists DHR, ES and O missing 2015-03-09 .. 2015-03-20 (17 days between bars).
    expect(r.out).toContain('all_stocks_5yr.csv.gz: warning: DHR: no bars for 17.0 days, 2015-03-06 .. 2015-03-23 (a gap in the calendar: missing data)');
  });
});

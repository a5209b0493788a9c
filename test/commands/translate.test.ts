import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/commands/io.ts';
import { run } from '../../src/commands/translate.ts';
import { logicHash, paramsHash, specId } from '../../src/core/spec/hash.ts';
import { parseSpecText } from '../../src/core/spec/parse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'agents', 'fixtures', 'pine');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gauntlet-translate-'));
  writeFileSync(join(dir, 'rsi.pine'), readFileSync(join(FIXTURES, '02-rsi-levels-long.pine')));
  writeFileSync(join(dir, 'peek.pine'), readFileSync(join(FIXTURES, '13-REFUSE-security-lookahead.pine')));
});

async function cli(...argv: string[]) {
  const io = bufferIo({}, dir);
  const code = await run(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const RSI_RULES = {
  long_entry: ['rsi_len', '<', '$lower'], long_exit: ['rsi_len', '>', '$upper'], short_entry: null, short_exit: null,
};

describe('gauntlet translate', () => {
  it('reads a file and prints the spec as 2-space JSON; the summary goes to stderr', async () => {
    const r = await cli('rsi.pine');
    expect(r.code).toBe(0);
    const spec = JSON.parse(r.out);
    expect(spec.rules).toEqual(RSI_RULES);
    expect(r.out).toBe(`${JSON.stringify(spec, null, 2)}\n`);
    // The summary, then the one warning: the script states no holding period or market, so both are inferred (RSI length 14 → short).
    expect(r.err).toBe('mean reversion, short holding: long when rsi_len < $lower; exit long when rsi_len > $upper; fees 0 bps\n'
      + 'warning: meta: holding period short, inferred from the longest lookback of 14 bars (≤ 20 short, ≤ 60 medium, else long): the Director tries 1h first among 5m 15m 1h 4h 1d and the Reviewer expects holds of 0.5–14 days; market equities, by default (nothing in the idea names a market): symbols come from the universe\'s equities and unstated costs default to 5 + 5 bps. To choose instead, add the line "// @gauntlet holding=short|medium|long|intraday market=equities|crypto|futures|forex" to the script.\n');
  });

  it('treats a non-file argument as rule text, and joins unquoted words', async () => {
    const a = await cli('buy when close > open; stop 5%');
    const b = await cli('buy', 'when', 'close', '>', 'open;', 'stop', '5%');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out).rules.long_entry).toEqual(['close', '>', 'open']);
    expect(JSON.parse(a.out).risk.stop_loss_pct).toBe(5);
    expect(b.out).toBe(a.out);
  });

  it('--json prints one object with the hashes and the id', async () => {
    const r = await cli('rsi.pine', '--json', '--name', 'rsi-test');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const o = JSON.parse(r.out);
    expect(Object.keys(o).sort()).toEqual(['id', 'kind', 'logic_hash', 'params_hash', 'spec', 'summary', 'warnings']);
    expect(o.kind).toBe('pine');
    expect(o.spec.name).toBe('rsi-test');
    const spec = parseSpecText(JSON.stringify(o.spec), 'o.spec');
    expect([o.logic_hash, o.params_hash, o.id]).toEqual([logicHash(spec), paramsHash(spec), specId(spec)]);
    expect(o.logic_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--out writes the spec atomically and refuses to overwrite without --force', async () => {
    const w = await cli('rsi.pine', '--out', 'rsi.json');
    expect(w.code).toBe(0);
    expect(w.out).toMatch(/^wrote rsi\.json: mean reversion/);
    const written = readFileSync(join(dir, 'rsi.json'), 'utf8');
    expect(parseSpecText(written, 'rsi.json').rules).toEqual(RSI_RULES);

    writeFileSync(join(dir, 'rsi.json'), 'keep me');
    const again = await cli('rsi.pine', '--out', 'rsi.json');
    expect(again.code).toBe(2);
    expect(again.err).toBe('gauntlet translate: --out rsi.json exists; add --force to replace it\n');
    expect(readFileSync(join(dir, 'rsi.json'), 'utf8')).toBe('keep me');

    const forced = await cli('rsi.pine', '--out', 'rsi.json', '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'rsi.json'), 'utf8')).toBe(written);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // no temp file left behind
  });

  it('exits 2 with the refusal on stderr and nothing on stdout', async () => {
    const r = await cli('peek.pine', '--out', 'peek.json');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.startsWith('peek.pine:3: `request.security` is not in the supported Pine subset: ')).toBe(true);
    expect(existsSync(join(dir, 'peek.json'))).toBe(false);
  });

  it('exits 2 on malformed rule text, naming statement and column', async () => {
    const r = await cli('buy when rsi(14) 30');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('rules: statement 1, column 18: expected an operator (< <= > >= crosses above|below) after "rsi(14)"');
  });

  it('prints warnings on stderr', async () => {
    writeFileSync(join(dir, 'cci.pine'), readFileSync(join(FIXTURES, '12-cci-extremes.pine')));
    const r = await cli('cci.pine');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^warning: line 5: `ta\.cci\(close, len\)` reads close/m);
  });

  it('usage errors exit 2; --help exits 0', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('missing.pine')).err).toBe('gauntlet translate: missing.pine: no such file (to translate text, quote the rules, e.g. "buy when rsi(14) < 30")\n');
    expect((await cli('rsi.pine', '--force')).err).toBe('gauntlet translate: --force goes with --out FILE\n');
    expect((await cli('rsi.pine', '--bogus')).code).toBe(2);
    expect((await cli('rsi.pine', '--out', 'no/such/dir/x.json')).err).toMatch(/the directory .* does not exist/);
    const h = await cli('--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^Usage: gauntlet translate FILE\|TEXT/);
  });
});

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { looksLikePath } from '../../src/commands/idea-arg.ts';
import { ideaEcho } from '../../src/core/research/idea-echo.ts';
import { inproc, workspace } from '../research/helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ws = workspace('idea-arg');
afterAll(() => ws.cleanup());

describe('file arguments', () => {
  it('a path-looking argument is a path: a "/" in one word, or a .pine / .json / .txt name', () => {
    for (const p of ['ideas/rsi.pine', './x', 'my ideas.txt', 'spec.JSON', 'C:\\ideas\\a']) expect(looksLikePath(p), p).toBe(true);
    for (const t of ['buy when close > open', 'buy when rsi(14) < 30 / sell', 'stop 5%', 'rsi']) expect(looksLikePath(t), t).toBe(false);
  });

  it('research: a missing file is "file not found", exit 2, before any store is written', async () => {
    const db = join(ws.dir, 'missing');
    const r = await inproc(['research', 'ideas/nope.pine', '--approve', 'none', '--offline', '--db', db], ws.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gauntlet research: ideas/nope.pine: file not found (looked for ${join(ROOT, 'ideas/nope.pine')}); check the path, or quote rule text such as "buy when rsi(14) < 30"\n`);
    expect(existsSync(db)).toBe(false);
  });

  it('translate: a missing .json is not read as rule text', async () => {
    const r = await inproc(['translate', 'my-spec.json'], ws.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gauntlet translate: my-spec.json: no such file (to translate text, quote the rules, e.g. "buy when rsi(14) < 30")\n');
  });
});

describe('the idea echo', () => {
  it('shows one line: a file by its first meaningful line, a spec by its name and idea, never raw JSON', () => {
    expect(ideaEcho('//@version=5\n\nstrategy("RSI", overlay=true)\nif close > open')).toBe('strategy("RSI", overlay=true)');
    expect(ideaEcho('{"schema":"gauntlet/spec@1","name":"rsi-dip","idea":"Buy RSI dips","meta":{}}')).toBe('spec rsi-dip: Buy RSI dips');
    expect(ideaEcho('  buy when rsi(2) < 10\n  sell when rsi(2) > 70')).toBe('buy when rsi(2) < 10');
    expect(ideaEcho(`buy when ${'x'.repeat(100)}`)).toBe(`buy when ${'x'.repeat(68)}…`);
  });
});

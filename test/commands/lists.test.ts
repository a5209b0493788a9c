/**
 * `gauntlet sessions`, `gauntlet specs`, `--version`, and the suggestions for a mistyped command or
 * flag: whole messages, expected values read from the store file independently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inproc, readStoreFile, workspace } from '../research/helpers.ts';

const ws = workspace('lists');
afterAll(() => ws.cleanup());
const db = join(ws.dir, 'db');

beforeAll(async () => {
  // Two sessions: one that spends (approved, on AAPL only), one vetoed at once (nothing spent).
  const a = await inproc(['research', 'buy when rsi(14) < 30; sell when rsi(14) > 70', '--symbols', 'AAPL', '--approve', 'all', '--offline', '--db', db], ws.env);
  expect(a.code, a.stderr).toBe(0);
  const b = await inproc(['research', 'buy when close > sma(50)\nsell when close < sma(50)', '--approve', 'none', '--offline', '--db', db], ws.env);
  expect(b.code, b.stderr).toBe(0);
});

describe('gauntlet sessions', () => {
  it('lists every session with its status, the ledger\'s spend and the idea\'s first line', async () => {
    const data = readStoreFile(db)!;
    const spent = (id: string): number => data.ledger.filter((e) => e.session === id && e.kind === 'spend').reduce((x, e) => x + e.cost!, 0);
    const r = await inproc(['sessions', '--db', db], ws.env);
    expect(r.code).toBe(0);
    const [s1, s2] = data.sessions;
    const when = (t: string): string => t.slice(0, 16).replace('T', ' ');
    const c1 = `${spent(s1!.id)}/1000`;
    const w = Math.max('credits'.length, c1.length, '0/1000'.length);
    const st = Math.max('status'.length, s1!.status.length, s2!.status.length);
    expect(r.stdout).toBe([
      `session  ${'status'.padEnd(st)}  ${'credits'.padEnd(w)}  updated           idea`,
      `s1-1     ${s1!.status.padEnd(st)}  ${c1.padEnd(w)}  ${when(s1!.updated_at)}  buy when rsi(14) < 30; sell when rsi(14) > 70`,
      `s1-2     ${s2!.status.padEnd(st)}  ${'0/1000'.padEnd(w)}  ${when(s2!.updated_at)}  buy when close > sma(50)`,
      '',
    ].join('\n'));
    const json = JSON.parse((await inproc(['sessions', '--db', db, '--json'], ws.env)).stdout) as { sessions: Array<{ id: string; spent: number; status: string }> };
    expect(json.sessions.map((x) => [x.id, x.spent, x.status])).toEqual([['s1-1', spent('s1-1'), s1!.status], ['s1-2', 0, 'FROZEN']]);
  });

  it('an empty or missing store says so', async () => {
    const none = join(ws.dir, 'none');
    expect(await inproc(['sessions', '--db', none], ws.env)).toMatchObject({ code: 0, stdout: `no sessions in ${none} (no store there yet)\n` });
  });
});

describe('gauntlet specs', () => {
  it('one row a strategy family: newest version, versions, sessions, last status, name', async () => {
    const data = readStoreFile(db)!;
    const r = await inproc(['specs', '--db', db], ws.env);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('spec          versions  sessions  last    name');
    // Each named after its idea: rsi(14) reversion, and close vs sma(50) trend.
    const names = ['rsi14-reversion', 'sma50-trend'];
    expect(rows.slice(1).map((l) => l.split(/\s{2,}/))).toEqual(data.specs.map((s, k) => [s.id.slice(0, 12), '1', '1', data.sessions.find((x) => x.spec_id === s.id)!.status, names[k]]));
  });
});

describe('CLI conventions', () => {
  it('--version names the package version and the contract versions', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const r = await inproc(['--version'], ws.env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`gauntlet ${pkg.version} (spec gauntlet/spec@1 and @1.1, gate config gates@2, store v2, Node ${process.versions.node})\n`);
  });

  it('a mistyped command or flag gets the closest one, in our words', async () => {
    expect(await inproc(['reserch'], ws.env)).toMatchObject({ code: 2, stdout: '', stderr: 'gauntlet: unknown command "reserch"; did you mean "research"?\nRun \'gauntlet --help\' for the commands.\n' });
    expect(await inproc(['frobnicate'], ws.env)).toMatchObject({ code: 2, stderr: 'gauntlet: unknown command "frobnicate"\nRun \'gauntlet --help\' for the commands.\n' });
    expect(await inproc(['research', 'x', '--aprove', 'all'], ws.env)).toMatchObject({ code: 2, stderr: 'gauntlet research: unknown option --aprove; did you mean --approve?\nRun \'gauntlet research --help\' for usage.\n' });
    expect(await inproc(['sessions', '--db'], ws.env)).toMatchObject({ code: 2, stderr: 'gauntlet sessions: --db needs a value\nRun \'gauntlet sessions --help\' for usage.\n' });
    expect(await inproc(['specs', '--json=yes'], ws.env)).toMatchObject({ code: 2, stderr: 'gauntlet specs: --json takes no value\nRun \'gauntlet specs --help\' for usage.\n' });
  });
});

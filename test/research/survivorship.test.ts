/**
 * Survivorship: a universe that declares `survivorship: "biased"` (the bundled set does) has it said by
 * the verdict, the dossier and the console header; a universe that does not declare it has none of it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SURVIVORSHIP_NOTE } from '../../src/core/universe.ts';
import { inproc, STOCK_IDEA, workspace } from './helpers.ts';
import { draw } from '../ui/support.tsx';
import { createConsoleStore } from '../../src/ui/state/store.ts';

const ws = workspace('honest-data');
afterAll(() => ws.cleanup());
const at = (...p: string[]): string => join(ws.dir, ...p);

/** The line printed right after the verdict (`DEAD: …`, `FROZEN: …` …). */
function lineAfterVerdict(stdout: string): string | undefined {
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => /^(DEAD|FROZEN|KILLED|PROMOTED): /.test(l));
  expect(i).toBeGreaterThanOrEqual(0);
  return lines[i + 1];
}

describe('survivorship bias is said wherever a verdict rests on it', () => {
  it('bundled data: the verdict line is followed by the note, and the dossier has a data row', async () => {
    const r = await inproc(['research', STOCK_IDEA, '--offline', '--approve', 'all', '--budget', '20', '--db', at('db')], ws.env);
    expect(r.code).toBe(0);
    expect(lineAfterVerdict(r.stdout)).toBe(`  data: ${SURVIVORSHIP_NOTE}`);
    expect(r.stderr).not.toContain('survivorship');
    const specs = (JSON.parse((await inproc(['specs', '--db', at('db'), '--json'], ws.env)).stdout) as { specs: { id: string }[] }).specs;
    const dossier = await inproc(['export', specs[0]!.id, '--db', at('db'), '--out', at('d.md')], ws.env);
    expect(dossier.code).toBe(0);
    const session = JSON.parse(readFileSync(at('db', 'store.json'), 'utf8')).sessions[0].id as string;
    expect(readFileSync(at('d.md'), 'utf8')).toContain(`| data | survivorship-biased universe (${session}): its symbols are survivors chosen after the fact, so results may be better than a trader could have had |`);
  }, 120_000);

  it('--json: a note event says it before the session starts', async () => {
    const r = await inproc(['research', STOCK_IDEA, '--offline', '--approve', 'all', '--budget', '20', '--db', at('dbj'), '--json'], ws.env);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; text?: string });
    expect(events.filter((e) => e.event === 'note').map((e) => e.text)).toEqual(['agents: rules (offline)', `data: ${SURVIVORSHIP_NOTE}`]);
  }, 60_000);

  it('a universe that does not declare it: no note', async () => {
    const synth = await inproc(['data', 'synth', '--seed', '3', '--symbols', '4', '--sectors', '1', '--days', '300', '--out', at('m')], ws.env);
    expect(synth.code).toBe(0);
    const r = await inproc(['research', STOCK_IDEA, '--universe', at('m'), '--offline', '--approve', 'all', '--budget', '20', '--db', at('db2')], ws.env);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('survivorship');
    // Declared in universe.json, it is said.
    const u = JSON.parse(readFileSync(at('m', 'universe.json'), 'utf8'));
    writeFileSync(at('m', 'universe.json'), JSON.stringify({ ...u, survivorship: 'biased' }));
    const b = await inproc(['research', STOCK_IDEA, '--universe', at('m'), '--offline', '--approve', 'all', '--budget', '20', '--db', at('db3')], ws.env);
    expect(lineAfterVerdict(b.stdout)).toBe(`  data: ${SURVIVORSHIP_NOTE}`);
  }, 120_000);

  it('the console header says it', () => {
    const settings = { storePath: './.gauntlet', llm: 'offline — rules', llmMessage: null, autoApprove: null, budget: 1000, color: false };
    const plain = draw(createConsoleStore({ settings, examples: [], files: [], filesRoot: '.' }, {} as never));
    expect(plain.lastFrame().split('\n')[0]).toBe('GAUNTLET  store ./.gauntlet  LLM offline — rules');
    plain.instance.unmount();
    const biased = draw(createConsoleStore({ settings: { ...settings, survivorship: 'biased' }, examples: [], files: [], filesRoot: '.' }, {} as never));
    expect(biased.lastFrame().split('\n')[0]).toBe('GAUNTLET  store ./.gauntlet  LLM offline — rules  data: survivorship-biased');
    biased.instance.unmount();
  });
});

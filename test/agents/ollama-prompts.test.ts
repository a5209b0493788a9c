import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMPT_ROLES, loadPrompt, promptVersions } from '../../src/agents/prompts/load.ts';

const RULE = 'LLMs reason, code measures: never output metrics, costs, verdicts or new symbols';

describe('prompts', () => {
  for (const role of PROMPT_ROLES) {
    it(`${role}: v1 exists, states the rule and its reply schema`, () => {
      const p = loadPrompt(role);
      expect(p.version).toBeGreaterThanOrEqual(1);
      expect(p.id).toBe(`${role}.v${p.version}`);
      expect(p.text).toContain(RULE);
      expect(p.text).toContain('## Reply schema');
      expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('the director prompt names the DirectorRanking fields; the reviewer prompt the Review fields', () => {
    const d = loadPrompt('director', 1).text;
    for (const f of ['`order`', '`notes`', '`justification`', '`expected_information_gain`']) expect(d).toContain(f);
    const r = loadPrompt('reviewer', 1).text;
    for (const f of ['`diagnosis`', '`intent_match`']) expect(r).toContain(f);
  });

  it('picks the newest version unless one is asked for; an unknown version is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
    writeFileSync(join(dir, 'director.v1.md'), 'one');
    writeFileSync(join(dir, 'director.v10.md'), 'ten');
    writeFileSync(join(dir, 'director.v2.md'), 'two');
    writeFileSync(join(dir, 'reviewer.v1.md'), 'other role');
    expect(promptVersions('director', dir)).toEqual([1, 2, 10]);
    expect(loadPrompt('director', undefined, dir).text).toBe('ten');
    expect(loadPrompt('director', 2, dir).text).toBe('two');
    expect(() => loadPrompt('director', 3, dir)).toThrow('no prompt director.v3 (available: v1, v2, v10)');
    expect(() => loadPrompt('translator', undefined, dir)).toThrow(/available: none/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { translate, TranslationRefused } from '../../src/agents/translate/index.ts';

/** The Pine fixtures the translator tests read (test/agents/fixtures/pine). */
export const FIXTURES = join(import.meta.dirname, 'fixtures', 'pine');

export const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.pine`), 'utf8');

/** The refusal translating `text` must raise (the test fails when it translates). */
export function refusal(text: string, source = 'x.pine'): TranslationRefused {
  try {
    translate(text, { source });
  } catch (e) {
    expect(e).toBeInstanceOf(TranslationRefused);
    return e as TranslationRefused;
  }
  throw new Error('expected a refusal');
}

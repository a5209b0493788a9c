/**
 * User-facing text points only at files a clone has (docs/, specs/, data/ …), never at the design
 * notes or the statistics reference that live outside the repository; and every docs/*.md page it
 * names exists. Reads the README, docs/, and the string literals (not the comments) of src/ and bin/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const FORBIDDEN = /DESIGN §|DESIGN\.md|reference\/stats|reference\/style|reference\/brief|reference\/ollama|\.\.\/shared/;

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

/** Every string literal and template text of a source file, with its line. */
function literals(path: string): Array<{ line: number; text: string }> {
  const src = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: Array<{ line: number; text: string }> = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n) || ts.isJsxText(n)) {
      out.push({ line: src.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: n.text });
    }
    n.forEachChild(visit);
  };
  visit(src);
  return out;
}

describe('user-facing text points only inside the repository', () => {
  it('no string in src/ or bin/ names the design notes or the outside references', () => {
    const found: string[] = [];
    for (const f of [...files(join(ROOT, 'src'), /\.(ts|tsx)$/), ...files(join(ROOT, 'bin'), /\.(js|ts)$/)]) {
      for (const l of literals(f)) if (FORBIDDEN.test(l.text)) found.push(`${relative(ROOT, f)}:${l.line}: ${l.text.slice(0, 80)}`);
    }
    expect(found).toEqual([]);
  });

  it('the README, docs/ and the prompts name none of them either', () => {
    const found: string[] = [];
    for (const f of [join(ROOT, 'README.md'), ...files(join(ROOT, 'docs'), /\.md$/), ...files(join(ROOT, 'src'), /\.md$/)]) {
      readFileSync(f, 'utf8').split('\n').forEach((l, i) => { if (FORBIDDEN.test(l)) found.push(`${relative(ROOT, f)}:${i + 1}: ${l.slice(0, 80)}`); });
    }
    expect(found).toEqual([]);
  });

  it('every docs/ page that text names exists', () => {
    const named = new Set<string>();
    const texts = [readFileSync(join(ROOT, 'README.md'), 'utf8'), ...files(join(ROOT, 'docs'), /\.md$/).map((f) => readFileSync(f, 'utf8'))];
    for (const f of files(join(ROOT, 'src'), /\.(ts|tsx)$/)) texts.push(...literals(f).map((l) => l.text));
    for (const t of texts) for (const m of t.matchAll(/docs\/([a-z0-9-]+\.md)/g)) named.add(m[1]!);
    // Relative links between the docs pages.
    for (const f of files(join(ROOT, 'docs'), /\.md$/)) for (const m of readFileSync(f, 'utf8').matchAll(/\]\(([a-z0-9-]+\.md)\)/g)) named.add(m[1]!);
    expect(named.size).toBeGreaterThanOrEqual(5);
    expect([...named].filter((n) => !existsSync(join(ROOT, 'docs', n)))).toEqual([]);
  });
});

import type { Expr } from './ast.ts';
import type { PineEvaluator } from './evaluate.ts';

type Call = Expr & { t: 'call' };

/** Positional and named arguments matched to a signature. */
export function bindArgs(ev: Pick<PineEvaluator, 'fail' | 'q'>, e: Call, names: readonly string[], required: number): Map<string, Expr> {
  const out = new Map<string, Expr>();
  if (e.args.length > names.length) ev.fail(e.line, ev.q(e), `${e.callee} takes at most ${names.length} arguments (${names.join(', ')})`, 'Remove the extra arguments.');
  e.args.forEach((a, k) => out.set(names[k]!, a));
  for (const a of e.named) {
    if (!names.includes(a.name)) ev.fail(a.line, `the argument \`${a.name}=\` of ${e.callee}`, `${e.callee} takes ${names.join(', ')}`, 'Remove or rename it.');
    if (out.has(a.name)) ev.fail(a.line, `the argument \`${a.name}=\` of ${e.callee}`, 'it is given twice', 'Give it once.');
    out.set(a.name, a.value);
  }
  for (const name of names.slice(0, required)) {
    if (!out.has(name)) ev.fail(e.line, ev.q(e), `${e.callee} needs its \`${name}\` argument`, `Write ${e.callee}(${names.slice(0, required).join(', ')}).`);
  }
  return out;
}


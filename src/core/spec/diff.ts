import { formatPath as pathText } from '../errors.ts';
import { canonicalJson, logicHash, paramsHash, specId } from './hash.ts';
import type { RuleName, Spec } from './schema.ts';

/** One difference between two JSON values, at a JSON path. */
export interface SpecChange {
  path: string;
  kind: 'changed' | 'added' | 'removed';
  from?: unknown;
  to?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every difference between two JSON values, by path, in A's key order then B's new keys. */
export function diffJson(a: unknown, b: unknown, path: Array<string | number> = [], out: SpecChange[] = []): SpecChange[] {
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      if (!Object.hasOwn(b, k)) out.push({ path: pathText([...path, k]), kind: 'removed', from: a[k] });
      else diffJson(a[k], b[k], [...path, k], out);
    }
    for (const k of Object.keys(b)) if (!Object.hasOwn(a, k)) out.push({ path: pathText([...path, k]), kind: 'added', to: b[k] });
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) diffJson(a[i], b[i], [...path, i], out);
    for (let i = n; i < a.length; i++) out.push({ path: pathText([...path, i]), kind: 'removed', from: a[i] });
    for (let i = n; i < b.length; i++) out.push({ path: pathText([...path, i]), kind: 'added', to: b[i] });
    return out;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.push({ path: pathText(path), kind: 'changed', from: a, to: b });
  return out;
}

/**
 * How two specs relate: the same strategy with other labels or params (same logic_hash), or a
 * different strategy for the gates and the ledger (a logic change).
 */
export type DiffVerdict = 'identical' | 'labels_only' | 'params_only' | 'logic';

export interface SpecDiff {
  verdict: DiffVerdict;
  logic_changed: boolean;
  logic_hash: { a: string; b: string };
  params_hash: { a: string; b: string };
  id: { a: string; b: string };
  changes: SpecChange[];
  /** The rules whose condition differs. */
  rules_changed: RuleName[];
}

const RULE_NAMES: readonly RuleName[] = ['long_entry', 'long_exit', 'short_entry', 'short_exit'];

export function diffSpecs(a: Spec, b: Spec): SpecDiff {
  const hashes = {
    logic_hash: { a: logicHash(a), b: logicHash(b) },
    params_hash: { a: paramsHash(a), b: paramsHash(b) },
    id: { a: specId(a), b: specId(b) },
  };
  const logicChanged = hashes.logic_hash.a !== hashes.logic_hash.b;
  const verdict: DiffVerdict = logicChanged ? 'logic'
    : hashes.params_hash.a !== hashes.params_hash.b ? 'params_only'
      : hashes.id.a !== hashes.id.b ? 'labels_only' : 'identical';
  return {
    verdict, logic_changed: logicChanged, ...hashes,
    changes: diffJson(a, b),
    rules_changed: RULE_NAMES.filter((r) => canonicalJson(a.rules[r]) !== canonicalJson(b.rules[r])),
  };
}

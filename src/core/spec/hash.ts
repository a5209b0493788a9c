import { createHash } from 'node:crypto';
import type { Spec } from './schema.ts';

/** Canonical JSON: keys sorted at every level, no whitespace, undefined dropped. Equal specs give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Hex SHA-256 of text (UTF-8) or bytes: the one digest specs, files and artifacts are named by. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The logic: everything that decides behaviour except the param values. `name`, `idea` and `parent`
 * are labels and lineage, not logic, so renaming or re-versioning keeps the logic hash.
 */
export function logicHash(spec: Spec): string {
  const { name: _n, idea: _i, parent: _p, params, ...rest } = spec;
  const ranges = Object.fromEntries(Object.entries(params).map(([k, { value: _v, ...range }]) => [k, range]));
  return sha256(canonicalJson({ ...rest, params: ranges }));
}

export function paramsHash(spec: Spec): string {
  return sha256(canonicalJson(Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, p.value]))));
}

/** The spec's identity: the hash of its whole canonical JSON. */
export function specId(spec: Spec): string {
  return sha256(canonicalJson(spec));
}

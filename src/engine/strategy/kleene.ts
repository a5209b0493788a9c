import type { Op } from '../../core/spec/schema.ts';

/**
 * Vectorised three-valued logic (docs/semantics.md): each bar holds F, T or U (undefined:
 * the condition read a NaN). Whole-series loops keep the per-bar cost to a compare and a store.
 */
export const F = 0;
export const T = 1;
export const U = 2;

/** A numeric operand: a series (already lagged) or a constant. */
export type Operand = { series: Float64Array } | { constant: number };

function materialise(x: Operand, n: number): Float64Array {
  if ('series' in x) return x.series;
  return new Float64Array(n).fill(x.constant);
}

export function compare(a: Operand, op: Op, b: Operand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const A = materialise(a, n);
  const B = materialise(b, n);
  switch (op) {
    case '<': for (let i = 0; i < n; i++) { const x = A[i]!, y = B[i]!; out[i] = x !== x || y !== y ? U : x < y ? T : F; } break;
    case '<=': for (let i = 0; i < n; i++) { const x = A[i]!, y = B[i]!; out[i] = x !== x || y !== y ? U : x <= y ? T : F; } break;
    case '>': for (let i = 0; i < n; i++) { const x = A[i]!, y = B[i]!; out[i] = x !== x || y !== y ? U : x > y ? T : F; } break;
    case '>=': for (let i = 0; i < n; i++) { const x = A[i]!, y = B[i]!; out[i] = x !== x || y !== y ? U : x >= y ? T : F; } break;
    case 'crosses_above':
    case 'crosses_below': {
      if (n > 0) out[0] = U;
      const up = op === 'crosses_above';
      let px = A[0]!, py = B[0]!;
      for (let i = 1; i < n; i++) {
        const x = A[i]!, y = B[i]!;
        if (x !== x || y !== y || px !== px || py !== py) out[i] = U;
        else out[i] = (up ? x > y && px <= py : x < y && px >= py) ? T : F;
        px = x; py = y;
      }
      break;
    }
  }
  return out;
}

export function all(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n).fill(T);
  for (const p of parts) {
    for (let i = 0; i < n; i++) {
      const o = out[i]!;
      if (o === F) continue;
      const v = p[i]!;
      if (v === F) out[i] = F;
      else if (v === U) out[i] = U;
    }
  }
  return out;
}

export function any(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n).fill(F);
  for (const p of parts) {
    for (let i = 0; i < n; i++) {
      const o = out[i]!;
      if (o === T) continue;
      const v = p[i]!;
      if (v === T) out[i] = T;
      else if (v === U) out[i] = U;
    }
  }
  return out;
}

export function not(p: Uint8Array): Uint8Array {
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) { const v = p[i]!; out[i] = v === U ? U : v === T ? F : T; }
  return out;
}

/** Series shifted k bars later (x[k]): NaN for the first k bars. */
export function lag(x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(x.length);
  const m = Math.min(k, x.length);
  out.fill(NaN, 0, m);
  out.set(x.subarray(0, x.length - m), m);
  return out;
}

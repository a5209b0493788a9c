/**
 * Scratch columns that outlive one computation. On this class of machine a fresh 8 MB typed array
 * costs more in page faults than a full pass over five columns, so repeated runs on the same data
 * (optimisers, probes, the bench) lend their intermediate columns from a pool instead.
 *
 * Kernels ask for columns through `f64Column`/`u8Column`. Outside `withWorkspace` those are fresh
 * arrays; inside, they come from the workspace and return to it when the scope ends, so nothing
 * lent may escape the scope (callers copy what they keep).
 */
export class Workspace {
  private readonly freeF64 = new Map<number, Float64Array[]>();
  private readonly freeU8 = new Map<number, Uint8Array[]>();
  private lentF64: Float64Array[] = [];
  private lentU8: Uint8Array[] = [];

  f64(n: number): Float64Array {
    const a = this.freeF64.get(n)?.pop();
    const out = a === undefined ? new Float64Array(n) : a.fill(0);
    this.lentF64.push(out);
    return out;
  }

  /** Like f64, but the contents are unspecified: for kernels that write every element. */
  f64Raw(n: number): Float64Array {
    const out = this.freeF64.get(n)?.pop() ?? new Float64Array(n);
    this.lentF64.push(out);
    return out;
  }

  u8(n: number): Uint8Array {
    const a = this.freeU8.get(n)?.pop();
    const out = a === undefined ? new Uint8Array(n) : a.fill(0);
    this.lentU8.push(out);
    return out;
  }

  /** Everything lent comes back to the pool. */
  reclaim(): void {
    for (const a of this.lentF64) push(this.freeF64, a);
    for (const a of this.lentU8) push(this.freeU8, a);
    this.lentF64 = [];
    this.lentU8 = [];
  }
}

function push<T extends { length: number }>(m: Map<number, T[]>, a: T): void {
  const list = m.get(a.length);
  if (list === undefined) m.set(a.length, [a]);
  else list.push(a);
}

let current: Workspace | null = null;

/** Runs `fn` with columns lent from `ws`; they are reclaimed when `fn` returns or throws. */
export function withWorkspace<T>(ws: Workspace, fn: () => T): T {
  const prev = current;
  current = ws;
  try {
    return fn();
  } finally {
    current = prev;
    ws.reclaim();
  }
}

/** A zero-filled Float64Array of length n. */
export function f64Column(n: number): Float64Array {
  return current === null ? new Float64Array(n) : current.f64(n);
}

/** A zero-filled Uint8Array of length n. */
export function u8Column(n: number): Uint8Array {
  return current === null ? new Uint8Array(n) : current.u8(n);
}

/** A Float64Array of length n whose contents are unspecified: the caller writes every element. */
export function scratchF64(n: number): Float64Array {
  return current === null ? new Float64Array(n) : current.f64Raw(n);
}

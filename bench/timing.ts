/** Median wall time in ms of `fn` over `reps` runs, after `warmup` unmeasured runs (lets the JIT settle). */
export function medianMs(fn: () => unknown, reps: number, warmup = 2): number {
  return interleavedMs([fn], reps, warmup)[0]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Median times of several functions measured in turn, round after round, so a burst of load on a
 * shared machine hits all of them alike and their ratios stay meaningful.
 */
export function interleavedMs(fns: ReadonlyArray<() => unknown>, reps: number, warmup = 2): number[] {
  for (let i = 0; i < warmup; i++) for (const f of fns) f();
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    fns.forEach((f, k) => {
      const t0 = performance.now();
      f();
      times[k]!.push(performance.now() - t0);
    });
  }
  return times.map(median);
}

/** interleavedMs for async work: each job awaited in turn, round after round. */
export async function interleavedAsyncMs(fns: ReadonlyArray<() => Promise<unknown>>, reps: number): Promise<number[]> {
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    for (const [k, f] of fns.entries()) {
      const t0 = performance.now();
      await f();
      times[k]!.push(performance.now() - t0);
    }
  }
  return times.map(median);
}

/** Median wall time in ms of `fn` over `reps` runs, after `warmup` unmeasured runs (lets the JIT settle). */
export function medianMs(fn: () => unknown, reps: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

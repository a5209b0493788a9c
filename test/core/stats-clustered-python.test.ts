/**
 * The clustered statistics against an independent implementation (test/reference/clustered_check.py:
 * numpy, the sandwich estimator as matrix products over a stacked two-mean regression, a gradient
 * product for the delta method) on seeded random cases. It needs python3 with numpy. Where they are
 * missing the test does not pass silently: in CI it fails (.ci/run installs python3-numpy), elsewhere
 * it is skipped under a name that says why, and a warning names what is missing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusteredCovariance, clusteredMean, retentionBound } from '../../src/core/stats/index.ts';
import { mulberry32 } from './stats-helpers.ts';

const SCRIPT = join(import.meta.dirname, '..', 'reference', 'clustered_check.py');
const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
const missing = probe.error !== undefined ? 'python3 was not found' : probe.status !== 0 ? 'python3 has no numpy (apt-get install python3-numpy)' : null;
const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

interface Case { e: number[]; clusters: number[]; inA: number[]; inB: number[] }

/** ~20 seeded cases: n 20–400, G 2–60 with sparse ids, masks that nest, overlap partly or are disjoint. */
function cases(): Case[] {
  const rnd = mulberry32(2026);
  const out: Case[] = [];
  for (let k = 0; k < 24 && out.length < 20; k++) {
    const n = 20 + Math.floor(rnd() * 380);
    const G = 2 + Math.floor(rnd() * 59);
    // Sparse ids (3·g + 1): the implementation must not assume 0 … G − 1.
    const clusters = Array.from({ length: n }, () => 3 * Math.floor(rnd() * G) + 1);
    const e = clusters.map((g) => 0.002 + 0.01 * (rnd() - 0.5) + 0.003 * Math.sin(g));
    const kind = k % 4;
    // 0: A = first 60 %, B = last 50 % (partial overlap); 1: A = all, B = a window inside it;
    // 2: A = first half, B = second half (disjoint); 3: A = first 60 %, B = a random half.
    const start = Math.floor(rnd() * n * 0.5);
    const inA: number[] = e.map((_, i) => (kind === 1 ? 1 : i < (kind === 2 ? 0.5 : 0.6) * n ? 1 : 0));
    const inB: number[] = e.map((_, i) =>
      kind === 0 ? (i >= 0.5 * n ? 1 : 0) : kind === 1 ? (i >= start && i < start + 0.5 * n ? 1 : 0) : kind === 2 ? (i >= 0.5 * n ? 1 : 0) : rnd() < 0.5 ? 1 : 0,
    );
    // The retention ratio is defined only for a positive reference mean; B needs 2 clusters in A ∪ B.
    const meanA = e.reduce((a, x, i) => a + (inA[i] === 1 ? x : 0), 0) / inA.reduce((a, x) => a + x, 0);
    if (meanA > 0 && inB.some((x) => x === 1)) out.push({ e, clusters, inA, inB });
  }
  return out;
}

/**
 * 1e-12 relative. Quantities that can cancel to near 0 are compared on their natural scale: a mean
 * on max |e|, a covariance on √(Var_A·Var_B), t on max |e| / SE, the ratio on max |e| / ē_A.
 */
function scale(key: string, c: Case, ref: Record<string, number>): number {
  const maxE = c.e.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
  switch (key) {
    case 'mean': case 'meanA': case 'meanB': return maxE;
    case 'cov': return Math.sqrt(ref.varA! * ref.varB!);
    case 't': return maxE / ref.se!;
    case 'ratio': return maxE / ref.meanA!;
    default: return 0;
  }
}

describe('clustered statistics vs an independent numpy implementation', () => {
  if (missing !== null && ci) {
    it('python3 with numpy is required in CI for this cross-check', () => {
      expect.fail(`cannot run test/reference/clustered_check.py: ${missing}. .ci/run must install python3-numpy.`);
    });
    return;
  }
  if (missing !== null) console.warn(`stats-clustered-python: the numpy cross-check of the clustered statistics is NOT RUN: ${missing}`);
  it.skipIf(missing !== null)(`CR1 mean, SE, t; joint covariance of two subset means; the retention delta method${missing === null ? '' : ` — NOT RUN: ${missing}`}`, () => {
    const cs = cases();
    expect(cs.length).toBe(20);
    const r = spawnSync('python3', [SCRIPT], { input: JSON.stringify(cs), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const ref = JSON.parse(r.stdout) as Array<Record<string, number>>;
    expect(ref.length).toBe(cs.length);
    cs.forEach((c, k) => {
      const m = clusteredMean(c.e, c.clusters);
      const p = clusteredCovariance(c.e, c.clusters, c.inA, c.inB);
      const b = retentionBound(p);
      const want = ref[k]!;
      const got: Record<string, number> = {
        mean: m.mean, se: m.se, t: m.t, G: m.G, meanA: p.meanA, meanB: p.meanB, varA: p.varA, varB: p.varB, cov: p.cov,
        nA: p.nA, nB: p.nB, GA: p.GA, GB: p.GB, ratio: b.ratio, ratio_se: b.se,
      };
      expect(Object.keys(want).sort()).toEqual(Object.keys(got).sort());
      for (const [key, v] of Object.entries(want)) {
        const tol = 1e-12 * Math.max(Math.abs(v), Math.abs(got[key]!), scale(key, c, want));
        expect(Math.abs(got[key]! - v) <= tol, `case ${k} ${key}: ${got[key]} vs numpy ${v} (tolerance ${tol})`).toBe(true);
      }
    });
  });
});

/**
 * Seeded randomness: the only source of randomness in Gauntlet (synthetic markets, optimizers,
 * subsampling, causality probes). Same seed → same numbers, on every run and every platform.
 *
 * - Core generator: xoshiro128** 1.1 (Blackman & Vigna, 2018), 128-bit state, 32-bit outputs.
 * - Seeding: the seed (an integer or a string) is hashed into the 128-bit state by four
 *   MurmurHash3 (x86_32) lanes with different seeds, so similar seeds give unrelated streams.
 * - `fork(label)` derives an independent substream from this generator's *seed path* and the
 *   label — never from its current position — so drawing more numbers in one place never shifts
 *   another substream: `rng.fork('market')` is the same stream whether or not `rng` was used.
 *   Forking twice with the same label gives the same stream (by design: label what you fork).
 * - `next()` has 53 random bits (two outputs); `normal()` is Marsaglia's polar method, which
 *   uses only `Math.log` and `Math.sqrt` (no trigonometry), and caches its second variate.
 */

export type Seed = number | string;

export interface Random {
  /** Uniform double in [0, 1), 53 random bits. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Standard normal variate (mean 0, variance 1). */
  normal(): number;
  /** Uniform integer in [lo, hi) — half-open, like array indices: `int(0, n)`. */
  int(lo: number, hi: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** An independent generator determined by this one's seed path and `label` only. */
  fork(label: string | number): Random;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_NEG_53 = 1 / 9007199254740992;
const TAG_NUMBER = 0x6e756d62; // 'numb'
const TAG_STRING = 0x73747269; // 'stri'
const TAG_FORK = 0x666f726b; // 'fork'

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3 x86_32 over a list of 32-bit words. */
function murmur3(words: readonly number[], seed: number): number {
  let h = seed | 0;
  for (const w of words) {
    let k = Math.imul(w | 0, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function seedWords(seed: Seed): number[] {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`random seed must be a safe integer, got ${seed}`);
    const a = Math.abs(seed);
    return [TAG_NUMBER, a >>> 0, Math.floor(a / TWO_POW_32) >>> 0, seed < 0 ? 1 : 0];
  }
  const words = [TAG_STRING, seed.length];
  for (let i = 0; i < seed.length; i++) words.push(seed.charCodeAt(i));
  return words;
}

function deriveKey(words: readonly number[]): [number, number, number, number] {
  const key: [number, number, number, number] = [
    murmur3(words, 0x243f6a88), murmur3(words, 0x85a308d3), murmur3(words, 0x13198a2e), murmur3(words, 0x03707344),
  ];
  if ((key[0] | key[1] | key[2] | key[3]) === 0) key[0] = 1; // xoshiro's one forbidden state
  return key;
}

class Xoshiro128 implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(private readonly key: readonly [number, number, number, number]) {
    this.s0 = key[0] | 0;
    this.s1 = key[1] | 0;
    this.s2 = key[2] | 0;
    this.s3 = key[3] | 0;
  }

  nextU32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_NEG_53;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi <= lo) {
      throw new RangeError(`int(lo, hi) needs integers with lo < hi, got ${lo}, ${hi}`);
    }
    return lo + Math.floor(this.next() * (hi - lo));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  fork(label: string | number): Random {
    return new Xoshiro128(deriveKey([TAG_FORK, ...this.key, ...seedWords(label)]));
  }
}

/** A generator seeded by an integer or a string. */
export function createRandom(seed: Seed): Random {
  return new Xoshiro128(deriveKey(seedWords(seed)));
}

/**
 * A generator with an explicit xoshiro128** state (four 32-bit words, not all zero): for checking
 * the core against the reference implementation. Forks of it are derived from that state.
 */
export function randomFromState(s0: number, s1: number, s2: number, s3: number): Random {
  if (((s0 | s1 | s2 | s3) >>> 0) === 0) throw new RangeError('xoshiro128** state must not be all zero');
  return new Xoshiro128([s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0]);
}

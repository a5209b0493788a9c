// Standard normal distribution: erfc, Phi, Phi⁻¹ and the density.
//
// erfc: W. J. Cody (1969), "Rational Chebyshev approximations for the error function",
// Math. Comp. 23, 631–638, as coded in SPECFUN CALERF (netlib). Relative error below ~1e-15
// on the whole line; the exp(−x²) factor is split (Cody's trick) so large arguments keep
// full relative precision in the tail.
// Phi⁻¹: M. J. Wichura (1988), Algorithm AS 241 (PPND16), Appl. Statist. 37(3), 477–484;
// relative accuracy about 1e-16 — the same algorithm as Python's statistics.NormalDist.
// The coefficients are the published ones, written as the nearest double (shortest round-trip
// form): the same values the 20-digit published literals parse to.

import { requireFinite } from './validate.ts';

const SQRPI = 0.5641895835477563; // 1/√π
const XSMALL = 1.11e-16;
const XBIG = 26.543; // erfc(x) underflows beyond this

const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315] as const;
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171] as const;
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
] as const;
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
] as const;
const P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378, 0.016315387137302097] as const;
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918] as const;

/** exp(−y²) without losing relative precision: split y at a multiple of 1/16 (Cody). */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** Complementary error function erfc(x) = 1 − erf(x) (Cody 1969 / CALERF). NaN in, NaN out. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  let result: number;
  if (y <= 0.46875) {
    const ysq = y > XSMALL ? y * y : 0;
    let xnum = A[4] * ysq;
    let xden = ysq;
    for (let i = 0; i < 3; i++) {
      xnum = (xnum + A[i]!) * ysq;
      xden = (xden + B[i]!) * ysq;
    }
    return 1 - (x * (xnum + A[3])) / (xden + B[3]);
  } else if (y <= 4) {
    let xnum = C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y;
      xden = (xden + D[i]!) * y;
    }
    result = ((xnum + C[7]) / (xden + D[7])) * expMinusSquare(y);
  } else if (y >= XBIG) {
    result = 0;
  } else {
    const ysq = 1 / (y * y);
    let xnum = P[5] * ysq;
    let xden = ysq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]!) * ysq;
      xden = (xden + Q[i]!) * ysq;
    }
    const r = (ysq * (xnum + P[4])) / (xden + Q[4]);
    result = ((SQRPI - r) / y) * expMinusSquare(y);
  }
  return x < 0 ? 2 - result : result;
}

// √½ = SQRT1_HI + SQRT1_LO exactly enough: the low part restores the bits SQRT1_2 drops.
const SQRT1_HI = Math.SQRT1_2;
const SQRT1_LO = -4.833646656726457e-17;
const SPLITTER = 134217729; // 2^27 + 1, Veltkamp splitting

/**
 * erfc(x·√½)/2 with the rounding of x·√½ corrected to first order. Without it the relative
 * error of Φ in the far tail grows like x²·ε (≈ 6e-15 at x = −8); with it it stays ~1e-15.
 */
function halfErfcScaled(x: number): number {
  const z = x * SQRT1_HI;
  if (!(Math.abs(x) < 40)) return 0.5 * erfc(z); // saturated (or NaN): no correction needed
  // Dekker's exact product: x·SQRT1_HI = z + err.
  const xc = SPLITTER * x;
  const xh = xc - (xc - x);
  const xl = x - xh;
  const sc = SPLITTER * SQRT1_HI;
  const sh = sc - (sc - SQRT1_HI);
  const sl = SQRT1_HI - sh;
  const err = xh * sh - z + xh * sl + xl * sh + xl * sl;
  const delta = err + x * SQRT1_LO; // exact x·√½ − z
  // d/dz erfc(z) = −(2/√π)·e^{−z²}
  return 0.5 * (erfc(z) - delta * (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z));
}

/** Standard normal CDF Φ(x) = erfc(−x/√2)/2, ~1e-15 relative on the whole line (tails included). */
export function normalCdf(x: number): number {
  return halfErfcScaled(-x);
}

/** Standard normal upper tail 1 − Φ(x) = erfc(x/√2)/2, accurate where 1 − Φ(x) would cancel. */
export function normalSurvival(x: number): number {
  return halfErfcScaled(x);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal quantile Φ⁻¹(p), Wichura AS 241 (PPND16). Φ⁻¹(0) = −∞ and Φ⁻¹(1) = +∞;
 * p outside [0, 1] or NaN is a RangeError.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num =
      (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r +
        45921.95393154987) * r + 13731.69376550946) * r + 1971.5909503065513) * r +
        133.14166789178438) * r + 3.3871328727963665) * q;
    const den =
      ((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r +
        21213.794301586597) * r + 5394.196021424751) * r + 687.1870074920579) * r +
        42.31333070160091) * r + 1;
    return num / den;
  }
  let r = Math.sqrt(-Math.log(q <= 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    const num =
      ((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) * r + 3.6478483247632045) * r + 5.769497221460691) * r +
        4.630337846156546) * r + 1.4234371107496835;
    const den =
      ((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) * r + 0.6897673349851) * r + 1.6763848301838038) * r +
        2.053191626637759) * r + 1;
    x = num / den;
  } else {
    r -= 5;
    const num =
      ((((((2.0103343992922881e-7 * r + 2.7115555687434876e-5) * r + 0.0012426609473880784) * r +
        0.026532189526576124) * r + 0.29656057182850487) * r + 1.7848265399172913) * r +
        5.463784911164114) * r + 6.657904643501103;
    const den =
      ((((((2.0442631033899397e-15 * r + 1.421511758316446e-7) * r + 1.8463183175100548e-5) * r +
        0.0007868691311456133) * r + 0.014875361290850615) * r + 0.1369298809227358) * r +
        0.599832206555888) * r + 1;
    x = num / den;
  }
  return q < 0 ? -x : x;
}

/** Φ⁻¹ of an upper-tail probability a, i.e. Φ⁻¹(1 − a) without forming 1 − a. */
export function normalUpperQuantile(a: number): number {
  requireFinite(a, 'normalUpperQuantile: a');
  return -normalQuantile(a);
}

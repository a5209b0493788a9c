#!/usr/bin/env python3
"""Independent reference values for test/core/stats-*.test.ts — the [S] cross-checks that
stats.md has no published number for. Run: python3 test/core/stats-reference.py

Independence: nothing here imports the TypeScript. The CSCV is verify_stats.py's naive loop,
the block length is arch's `_single_optimal_block` (bashtage/arch base.py) copied verbatim, the
SPA/RC follow stats.md §5 literally with the O(n^2) kernel and direct resampling, and special
functions come from mpmath at 30 digits. Random inputs come from mulberry32, ported bit for bit,
so both languages see identical doubles; the bootstrap uses the draw order documented in
src/core/stats/bootstrap.ts (one start at position 0; then u per position and a start when u <= p).
"""
import math
from itertools import combinations

import mpmath
import numpy as np

mpmath.mp.dps = 30
M32 = 0xFFFFFFFF


def mulberry32(seed):
    a = seed & M32

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & M32
        t = ((a ^ (a >> 15)) * (a | 1)) & M32
        t = (((t + (((t ^ (t >> 7)) * (t | 61)) & M32)) & M32) ^ t) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0

    return nxt


def out(label, val):
    print(f"{label:<50} {val!r}")


# ---------------- mulberry32 sanity: first outputs for seed 1 ----------------
r = mulberry32(1)
out("mulberry32(1) first 3", [r(), r(), r()])

# ---------------- special functions (mpmath, 30 digits) ----------------
for x in (-8.0, -3.0, -1.0, -0.3, 0.0, 0.3, 1.0, 2.5, 5.0):
    out(f"Phi({x})", float(mpmath.ncdf(x)))
for x in (0.1, 0.46875, 1.0, 3.0, 4.0, 6.0, 10.0, 26.0):
    out(f"erfc({x})", float(mpmath.erfc(x)))
for p in (1e-300, 1e-20, 1e-10, 0.001, 0.02425, 0.05, 0.3, 0.5, 0.7, 0.975, 0.999):
    out(f"PhiInv({p})", float(mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(p) - 1)) if p > 1e-15 else None)
for p in (1e-300, 1e-20):
    # erfinv loses the tail at 30 digits; solve Phi(x) = p directly instead
    x0 = -math.sqrt(-2 * math.log(p))
    x = mpmath.findroot(lambda z: mpmath.log(mpmath.ncdf(z)) - mpmath.log(mpmath.mpf(p)), x0)
    out(f"PhiInv({p}) [findroot]", float(x))


def t_sf(t, df):
    t = mpmath.mpf(t); df = mpmath.mpf(df)
    x = df / (df + t * t)
    return mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, x, regularized=True) / 2


for t, df in ((0.5, 3), (2.0, 10), (2.8847734414021216, 119), (-1.5, 5), (10.0, 30), (0.1, 1000)):
    v = t_sf(abs(t), df)
    out(f"t_sf({t}, {df})", float(v if t >= 0 else 1 - v))
for a, b, x in ((0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (59.5, 0.5, 0.9), (10.0, 10.0, 0.5)):
    out(f"I_{x}({a},{b})", float(mpmath.betainc(a, b, 0, x, regularized=True)))
for x in (0.1, 0.5, 1.0, 2.5, 10.0, 59.5, 1000.0):
    out(f"lgamma({x})", float(mpmath.loggamma(x)))

# ---------------- CSCV on a seeded random matrix (verify_stats.py's naive loop) ----------------
def cscv(M_, S, metric):
    T_ = len(M_); Nst = len(M_[0]); sub = T_ // S; drop = T_ % S
    M_ = M_[drop:]
    blocks = [list(range(i * sub, (i + 1) * sub)) for i in range(S)]
    logits = []; pairs = []
    for comb in combinations(range(S), S // 2):
        is_idx = [t for b in comb for t in blocks[b]]
        oos_idx = [t for b in range(S) if b not in comb for t in blocks[b]]
        R = [metric([M_[t][n] for t in is_idx]) for n in range(Nst)]
        Rb = [metric([M_[t][n] for t in oos_idx]) for n in range(Nst)]
        nstar = max(range(Nst), key=lambda n: R[n])
        less = sum(1 for x in Rb if x < Rb[nstar]); eq = sum(1 for x in Rb if x == Rb[nstar])
        rank = less + (eq + 1) / 2
        w = rank / (Nst + 1)
        logits.append(math.log(w / (1 - w))); pairs.append((R[nstar], Rb[nstar]))
    pbo = sum(1 for l in logits if l <= 0) / len(logits)
    ploss = sum(1 for _, rb in pairs if rb < 0) / len(pairs)
    n_ = len(pairs); mx = sum(p[0] for p in pairs) / n_; my = sum(p[1] for p in pairs) / n_
    sxx = sum((p[0] - mx) ** 2 for p in pairs)
    slope = sum((p[0] - mx) * (p[1] - my) for p in pairs) / sxx
    return pbo, ploss, slope, sum(logits) / len(logits)


def sharpe1(x):
    m = sum(x) / len(x)
    return m / math.sqrt(sum((y - m) ** 2 for y in x) / (len(x) - 1))


# T = 83 bars (3 dropped for S = 8), N = 7 trials; trial n has drift 0.0001*n on noise 0.01*(u-0.5)
rnd = mulberry32(2024)
Mr = [[0.01 * (rnd() - 0.5) + 0.0001 * n for n in range(7)] for _ in range(83)]
out("CSCV seeded (S=8, sharpe): pbo, ploss, slope, mean logit", cscv(Mr, 8, sharpe1))

# ---------------- arch _single_optimal_block, verbatim ----------------
def _single_optimal_block(x):
    nobs = x.shape[0]
    eps = x - x.mean(0)
    b_max = np.ceil(min(3 * np.sqrt(nobs), nobs / 3))
    kn = max(5, int(np.log10(nobs)))
    m_max = int(np.ceil(np.sqrt(nobs))) + kn
    cv = 2 * np.sqrt(np.log10(nobs) / nobs)
    acv = np.zeros(m_max + 1)
    abs_acorr = np.zeros(m_max + 1)
    opt_m = None
    for i in range(m_max + 1):
        v1 = eps[i + 1:] @ eps[i + 1:]
        v2 = eps[: -(i + 1)] @ eps[: -(i + 1)]
        cross_prod = eps[i:] @ eps[: nobs - i]
        acv[i] = cross_prod / nobs
        abs_acorr[i] = np.abs(cross_prod) / np.sqrt(v1 * v2)
        if i >= kn:
            if np.all(abs_acorr[i - kn: i] < cv) and opt_m is None:
                opt_m = i - kn
    m = 2 * max(opt_m, 1) if opt_m is not None else m_max
    m = min(m, m_max)
    g = 0.0
    lr_acv = acv[0]
    for k in range(1, m + 1):
        lam = 1 if k / m <= 1 / 2 else 2 * (1 - k / m)
        g += 2 * lam * k * acv[k]
        lr_acv += 2 * lam * acv[k]
    d_sb = 2 * lr_acv ** 2
    b_sb = ((2 * g ** 2) / d_sb) ** (1 / 3) * nobs ** (1 / 3)
    return min(b_sb, b_max)


for phi, n in ((0.5, 500), (0.9, 2000), (0.0, 300)):
    rnd = mulberry32(11)
    xs = []; prev = 0.0
    for _ in range(n):
        prev = phi * prev + (rnd() - 0.5)
        xs.append(prev)
    out(f"optimal block AR(1) phi={phi} n={n} seed 11", float(_single_optimal_block(np.array(xs))))

# ---------------- White RC / Hansen SPA, stats.md §5 literally ----------------
def sb_indices(n, b, rnd):
    p = 1 / b
    idx = [int(rnd() * n)]
    for _ in range(1, n):
        u = rnd()
        idx.append(int(rnd() * n) if u <= p else (idx[-1] + 1) % n)
    return idx


def spa_reference(d, b, B, seed):
    K = len(d); n = len(d[0]); q = 1 / b
    dbar = [sum(x) / n for x in d]
    omega2 = []
    for x, m in zip(d, dbar):
        e = [v - m for v in x]
        s = sum(v * v for v in e) / n
        for i in range(1, n):
            kap = (1 - i / n) * (1 - q) ** i + (i / n) * (1 - q) ** (n - i)
            s += 2 * kap * sum(e[t] * e[t + i] for t in range(n - i)) / n
        omega2.append(s)
    om = [math.sqrt(v) for v in omega2]
    thr = [-math.sqrt(w / n * 2 * math.log(math.log(n))) for w in omega2]
    mus = {
        "lower": [max(m, 0) for m in dbar],
        "consistent": [m if m >= t else 0.0 for m, t in zip(dbar, thr)],
        "upper": dbar,
    }
    rn = math.sqrt(n)
    V = max(rn * m for m in dbar)
    Tstud = max(0.0, max(rn * m / w for m, w in zip(dbar, om)))
    Traw = max(0.0, max(rn * m for m in dbar))
    rnd = mulberry32(seed)
    rc = 0; stud = {k: 0 for k in mus}; raw = {k: 0 for k in mus}
    for _ in range(B):
        idx = sb_indices(n, b, rnd)
        ds = [sum(x[i] for i in idx) / n for x in d]
        if max(rn * (a - m) for a, m in zip(ds, dbar)) > V: rc += 1
        for key, mu in mus.items():
            if max(0.0, max(rn * (a - u) / w for a, u, w in zip(ds, mu, om))) > Tstud: stud[key] += 1
            if max(0.0, max(rn * (a - u) for a, u in zip(ds, mu))) > Traw: raw[key] += 1
    return dict(omega=om, V=V, rc=rc / B, T=Tstud, stud={k: v / B for k, v in stud.items()},
                Traw=Traw, raw={k: v / B for k, v in raw.items()})


rnd = mulberry32(99)
drift = [-0.0004, 0.0, 0.0001, 0.0003, -0.0002]
n = 200
d = [[0.0] * n for _ in drift]
for t in range(n):
    common = rnd() - 0.5
    for k, mu in enumerate(drift):
        d[k][t] = 0.01 * (rnd() - 0.5) + 0.005 * common + mu
res = spa_reference(d, 5, 300, 7)
for k, v in res.items():
    out(f"SPA/RC seeded: {k}", v)

# stationary-bootstrap long-run variance of a short deterministic series, b = 3
x = [math.sin(0.7 * t) + 0.1 * t for t in range(30)]
m = sum(x) / 30; e = [v - m for v in x]; q = 1 / 3
s = sum(v * v for v in e) / 30
for i in range(1, 30):
    kap = (1 - i / 30) * (1 - q) ** i + (i / 30) * (1 - q) ** (30 - i)
    s += 2 * kap * sum(e[t] * e[t + i] for t in range(30 - i)) / 30
out("omega^2 sin(0.7t)+0.1t, n=30, b=3", s)

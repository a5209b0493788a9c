#!/usr/bin/env python3
"""Independent cross-check of src/core/stats/clustered.ts and retention.ts (docs/statistics.md).

Reads a JSON list of cases on stdin, writes a JSON list of results on stdout. Nothing here follows
the TypeScript: the clustered standard errors come from the textbook sandwich estimator written as
matrix products (Cameron & Miller 2015, eq. for CR1 with the G/(G-1) factor only):

  X = design matrix, e = residuals, meat = sum_g X_g' e_g e_g' X_g,
  V = G/(G-1) * (X'X)^-1 meat (X'X)^-1.

For one mean, X is a column of ones. For two subset means (A, B may overlap) the model is stacked:
each observation in A contributes a row (1, 0) with residual e - mean_A, each in B a row (0, 1) with
residual e - mean_B, rows of one observation keeping its cluster; G counts clusters in A or B.
"""
import json
import sys

import numpy as np


def sandwich(rows, resid, clusters):
    X = np.asarray(rows, dtype=float)
    u = np.asarray(resid, dtype=float)
    g = np.asarray(clusters)
    labels = np.unique(g)
    G = len(labels)
    bread = np.linalg.inv(X.T @ X)
    meat = np.zeros((X.shape[1], X.shape[1]))
    for lab in labels:
        m = g == lab
        s = X[m].T @ u[m]
        meat += np.outer(s, s)
    return G / (G - 1) * bread @ meat @ bread, G


def one(case):
    e = np.asarray(case["e"], dtype=float)
    c = case["clusters"]
    mean = e.mean()
    V, G = sandwich(np.ones((len(e), 1)), e - mean, c)
    se = float(np.sqrt(V[0, 0]))
    out = {"mean": float(mean), "se": se, "t": float(mean / se), "G": G}
    if "inA" in case:
        a = np.asarray(case["inA"], dtype=bool)
        b = np.asarray(case["inB"], dtype=bool)
        ma, mb = e[a].mean(), e[b].mean()
        rows, resid, cl = [], [], []
        for i in range(len(e)):
            if a[i]:
                rows.append((1.0, 0.0)); resid.append(e[i] - ma); cl.append(c[i])
            if b[i]:
                rows.append((0.0, 1.0)); resid.append(e[i] - mb); cl.append(c[i])
        V2, G2 = sandwich(rows, resid, cl)
        out.update({"meanA": float(ma), "meanB": float(mb), "varA": float(V2[0, 0]), "varB": float(V2[1, 1]), "cov": float(V2[0, 1])})
        cl_arr = np.asarray(c)
        out.update({"nA": int(a.sum()), "nB": int(b.sum()), "GA": len(np.unique(cl_arr[a])), "GB": len(np.unique(cl_arr[b]))})
        # Retention by simulation-free delta method, written as a gradient product.
        grad = np.array([-mb / ma**2, 1 / ma])
        var_r = float(grad @ V2 @ grad)
        out.update({"ratio": float(mb / ma), "ratio_se": float(np.sqrt(max(var_r, 0.0)))})
    return out


def main():
    cases = json.load(sys.stdin)
    json.dump([one(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()

import { check, verdict } from '../research/gate.ts';
import type { GateVerdict } from '../research/gate.ts';
import type { CausalityReport } from '../research/ports.ts';

/**
 * Causality (DESIGN §6): signals at bar t must be identical when every bar after t is removed; the
 * engine probes seeded random cuts. The value is the number of mismatches reported (the probe stops
 * at the first, so 0 or 1). A report that probed no cut proves nothing, so it fails unmeasured.
 */
export function causality(report: CausalityReport): GateVerdict {
  const name = 'causality_mismatches';
  if (report.ok && report.mismatch === null) {
    if (report.cuts.length === 0) return verdict('causality', [check(name, null, '<=', 0, 'no cut was probed: causality not shown')]);
    return verdict('causality', [check(name, 0, '<=', 0, `${report.cuts.length} cut(s) probed (bars ${report.cuts.join(', ')}): signals identical`)]);
  }
  const m = report.mismatch;
  const note = m === null
    ? 'the probe reported a failure without naming the mismatch'
    : `first mismatch: with every bar after ${m.cut} removed, the signal at bar ${m.bar} changed — the strategy reads the future`;
  return verdict('causality', [check(name, 1, '<=', 0, note)]);
}

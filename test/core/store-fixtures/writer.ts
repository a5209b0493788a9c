// Appends to a store as fast as it can, forever: each transaction a ledger trial entry plus a run
// record whose equity curve is an artifact, so a SIGKILL can land inside any part of a write.
import { openStore } from '../../../src/core/store/store.ts';

const dir = process.argv[2]!;
const session = 'crash-test';
const store = await openStore(dir);
if (!store.ledger().some((e) => e.session === session)) {
  await store.transaction((tx) => { tx.appendLedger({ session, kind: 'grant', action: 'budget', credit: 1000 }); });
}
process.stdout.write(`ready ${store.ledger().length}\n`);
const spec = 'a'.repeat(64);
for (let i = 0; ; i++) {
  const n = store.ledger().length;
  const equity = new Float64Array(512).map((_, k) => 1 + Math.sin(n + k) / 100);
  const ref = await store.putArtifact(equity);
  await store.transaction((tx) => {
    const e = tx.appendLedger({ session, kind: 'trial', action: 'backtest', spec_id: spec, payload: { i, note: 'x'.repeat(400) } });
    tx.append('runs', {
      id: `run-${e.seq}`, session, spec_id: spec, created_at: e.ts, kind: 'backtest', symbols: ['AAPL'], interval: '1d',
      params: { len: n % 50 }, summary: { seq: e.seq }, artifacts: { equity: ref },
    });
  });
}

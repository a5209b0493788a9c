import { Budget } from '/work/main/src/core/budget/budget.ts';
import { openStore } from '/work/main/src/core/store/store.ts';
import { runResearch } from '/work/main/src/core/research/loop.ts';
import { researchDeps } from '/work/main/src/commands/research-wiring.ts';
import { loadUniverseDir } from '/work/main/src/engine/data/universe.ts';
import { bufferIo } from '/work/main/src/commands/io.ts';
import { eventLine } from '/work/main/src/commands/research-print.ts';
const [dir, db, veto, idea] = process.argv.slice(2);
const store = await openStore(db!);
const universe = loadUniverseDir(dir!);
const vetoed = new Set(veto!.split(','));
const deps = researchDeps({ universe, store, seed: 1, budget: new Budget({ credits: 1000 }), mode: 'auto', io: bufferIo(),
  approver: { decide: async (p) => vetoed.has(p.action) ? { decision: 'veto' } : { decision: 'approve' } } });
for await (const e of runResearch(idea!, deps)) { const l = eventLine(e); if (l && !/^  ✓ (stage|director|engine|translator|spec|compiler|reviewer)|^    S/.test(l)) console.log(l.slice(0, 200)); }
await store.close();

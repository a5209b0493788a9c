/**
 * A trial worker thread: builds a TrialEvaluator over the shared series once, then answers trial
 * messages one by one. Compiled (dist/), it is the worker's entry itself; from TypeScript sources it is
 * started through worker-entry.js, which installs the TypeScript loader first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../core/errors.ts';
import { barsFromShared } from './shared-bars.ts';
import { TrialEvaluator } from './trial-eval.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('trial-worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const evaluator = new TrialEvaluator(init.spec, init.series.map(barsFromShared));

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'layout') {
    evaluator.adoptLayout(msg.windows, msg.layout);
    return;
  }
  let reply: FromWorker;
  try {
    const outcome = evaluator.evaluate(msg.params, msg.windows);
    reply = { type: 'result', id: msg.id, outcome };
    port.postMessage(reply, [outcome.returns.buffer as ArrayBuffer]);
    return;
  } catch (e) {
    reply = { type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e), user: e instanceof UserError };
  }
  port.postMessage(reply);
});

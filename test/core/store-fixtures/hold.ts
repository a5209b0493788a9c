// Opens a store for writing and holds it until told: "close" → close() then exit; "exit" → process.exit without close().
import { createInterface } from 'node:readline';
import { openStore } from '../../../src/core/store/store.ts';

const dir = process.argv[2]!;
const store = await openStore(dir);
process.stdout.write(`ready ${process.pid}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'close') { await store.close(); process.stdout.write('closed\n'); process.exit(0); }
  if (line === 'exit') process.exit(0);
}

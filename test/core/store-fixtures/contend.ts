// Waits for "go" on stdin, then tries to open the store. Prints `won <pid>` (and holds the store
// until stdin says "close") or `refused <exit code> <message>`.
import { createInterface } from 'node:readline';
import { UserError } from '../../../src/core/errors.ts';
import { openStore } from '../../../src/core/store/store.ts';

const dir = process.argv[2]!;
const rl = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of rl) {
  if (line === 'go') {
    try {
      const store = await openStore(dir);
      process.stdout.write(`won ${process.pid}\n`);
      for await (const l of rl) if (l === 'close') { await store.close(); process.exit(0); }
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      process.stdout.write(`refused ${e.exitCode} ${e.message.replace(/\n/g, ' ')}\n`);
      process.exit(0);
    }
  }
}

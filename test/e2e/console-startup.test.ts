/**
 * Start-up work on demand: the console draws its start screen without waiting for the Ollama probe,
 * which arrives when it answers. Here Ollama accepts the connection and never answers: the start
 * screen is up with 'connecting…' in the header, and q quits at once (the probe is aborted, nothing
 * waits for its timeout). How long the start screen takes is measured by `npm run bench` (startup).
 */
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT, workspace } from '../research/helpers.ts';
import { openConsole } from './console-screen.ts';
import { tmuxAvailable } from './tmux.ts';

const ws = workspace('e2e-startup');
const sockets = new Set<Socket>();
const hanging = createServer((s) => { sockets.add(s); });
afterAll(() => {
  for (const s of sockets) s.destroy();
  hanging.close();
  ws.cleanup();
});

it.skipIf(!tmuxAvailable())('the start screen is drawn while Ollama has not answered, and q quits without waiting for it', async () => {
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const address = hanging.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const term = await openConsole({ entry: [join(ROOT, 'bin/gauntlet.js')], cwd: ws.dir, args: ['--db', join(ws.dir, 'db'), '--ollama', url], env: { GAUNTLET_CACHE: ws.cache } });
  try {
    const start = await term.waitFor((s) => s.includes('Examples (') || /^gauntlet: /m.test(s), 'the start screen', 30_000);
    expect(start.split('\n')[0]).toBe('GAUNTLET  store ./db  LLM connecting…  data: survivorship-biased');
    // The probe connects (behind the screen) and waits for an answer that never comes; the header says so.
    for (let waited = 0; sockets.size === 0 && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(sockets.size).toBeGreaterThan(0);
    expect((await term.screen()).split('\n')[0]).toBe('GAUNTLET  store ./db  LLM connecting…  data: survivorship-biased');
    await term.keys('q');
    expect(await term.exited(5_000)).toBe(0);
  } finally {
    await term.close();
  }
}, 60_000);

import { createInterface } from 'node:readline';
import type { ApprovalDecision, ApproverPort } from '../core/research/ports.ts';
import type { OfferedProposal } from '../core/research/events.ts';
import type { Io } from './io.ts';

/**
 * `--approve ask`: asks on the terminal before each spend. Lines come from stdin, so answers can be
 * piped. End of input counts as a veto: no answer never spends a credit.
 */
export function askApprover(io: Io): ApproverPort & { close(): void } {
  const rl = createInterface({ input: io.stdin ?? process.stdin, terminal: false });
  const lines: string[] = [];
  const waiting: Array<(line: string | null) => void> = [];
  let ended = false;
  rl.on('line', (l) => { const w = waiting.shift(); if (w !== undefined) w(l); else lines.push(l); });
  rl.on('close', () => { ended = true; for (const w of waiting.splice(0)) w(null); });
  const next = (): Promise<string | null> => {
    const l = lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (ended) return Promise.resolve(null);
    return new Promise((res) => waiting.push(res));
  };
  return {
    async decide(p: OfferedProposal): Promise<ApprovalDecision> {
      for (;;) {
        io.err(`approve ${p.action} for ${p.cost} credits? [a]pprove [v]eto [n]ote+veto [k]ill > `);
        const line = await next();
        if (line === null) { io.err('(end of input: vetoed)\n'); return { decision: 'veto', note: 'no answer (end of input)' }; }
        const [cmd, ...rest] = line.trim().split(/\s+/);
        const note = rest.join(' ');
        switch ((cmd ?? '').toLowerCase()) {
          case 'a': case 'approve': case 'y': case 'yes': return { decision: 'approve' };
          case 'v': case 'veto': case 'no': return note === '' ? { decision: 'veto' } : { decision: 'veto', note };
          case 'n': case 'note': return { decision: 'veto', note: note === '' ? 'vetoed with an empty note' : note };
          case 'k': case 'kill': return note === '' ? { decision: 'kill' } : { decision: 'kill', note };
          default: io.err('answer a, v, n <note> or k\n');
        }
      }
    },
    close: () => rl.close(),
  };
}

import { describe, expect, it } from 'vitest';
import { approveAll, approveAllAndPromote, approverFor, scriptedApprover, vetoAll } from '../../src/agents/rules/approvers.ts';

const offer = (id: string) => ({ id, action: 'add_symbol' as const, detail: {}, cost: 5, rationale: 'r', justification: 'j', expected_information_gain: 'g' });

describe('approvers', () => {
  it('approve all, veto all (without a note), by mode', async () => {
    expect(await approveAll.decide(offer('a'))).toEqual({ decision: 'approve' });
    expect(await vetoAll.decide(offer('a'))).toEqual({ decision: 'veto' });
    expect(approverFor('all')).toBe(approveAll);
    expect(approverFor('none')).toBe(vetoAll);
  });

  it('all+promote also pre-approves a promotion, naming the flag; a kill gets no pre-approval (the loop never takes one without a person)', async () => {
    expect(approverFor('all+promote')).toBe(approveAllAndPromote);
    expect(await approveAllAndPromote.decide(offer('a'))).toEqual({ decision: 'approve' });
    expect(await approveAllAndPromote.decide({ ...offer('p'), action: 'promote' })).toEqual({ decision: 'approve', preapproved: 'pre-approved up front by --approve all+promote' });
    expect(await approveAllAndPromote.decide({ ...offer('k'), action: 'kill' })).toEqual({ decision: 'approve' });
    expect(await approveAll.decide({ ...offer('p'), action: 'promote' })).toEqual({ decision: 'approve' });
  });

  it('a script answers in order, records what it saw, and fails loudly when it runs out', async () => {
    const s = scriptedApprover([{ decision: 'veto', note: 'too early' }, { decision: 'approve' }]);
    expect(await s.decide(offer('p1'))).toEqual({ decision: 'veto', note: 'too early' });
    expect(await s.decide(offer('p2'))).toEqual({ decision: 'approve' });
    await expect(s.decide(offer('p3'))).rejects.toThrow('scriptedApprover: no decision left for proposal p3 (the script has 2)');
    expect(s.seen).toEqual([{ id: 'p1', action: 'add_symbol', cost: 5 }, { id: 'p2', action: 'add_symbol', cost: 5 }, { id: 'p3', action: 'add_symbol', cost: 5 }]);
  });
});

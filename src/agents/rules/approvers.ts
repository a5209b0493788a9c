import type { ApprovalDecision, ApproverPort, CandidateProposal } from '../../core/research/ports.ts';

/** Approvers without a person: `--approve all|none` and scripted decisions for tests. */

type Offered = Parameters<ApproverPort['decide']>[0];

/**
 * `--approve all`: approves every costed step. A terminal one is not its to take: the loop suspends
 * the session at a promotion (and freezes it at a kill) for a person to decide.
 */
export const approveAll: ApproverPort = { decide: async () => ({ decision: 'approve' }) };

/** The flag a person gives to approve promotions up front; recorded with every decision it makes. */
export const PREAPPROVE_PROMOTE = '--approve all+promote';

/**
 * `--approve all+promote`, for batch use: also approves a promotion, which the person confirmed up
 * front by giving the flag (the decision is recorded as pre-approved, naming it). Never a kill.
 */
export const approveAllAndPromote: ApproverPort = {
  decide: async (p) => (p.action === 'promote' ? { decision: 'approve', preapproved: `pre-approved up front by ${PREAPPROVE_PROMOTE}` } : { decision: 'approve' }),
};

/** No note: a note is fed back to the Director every round, and a repeated "--approve none" says nothing. */
export const vetoAll: ApproverPort = { decide: async () => ({ decision: 'veto' }) };

export function approverFor(mode: 'all' | 'all+promote' | 'none'): ApproverPort {
  return mode === 'all' ? approveAll : mode === 'all+promote' ? approveAllAndPromote : vetoAll;
}

export interface ScriptedApprover extends ApproverPort {
  /** The proposals shown so far, in order: what a test asserts the loop offered. */
  readonly seen: ReadonlyArray<Pick<CandidateProposal, 'id' | 'action' | 'cost'>>;
}

/**
 * Answers with `decisions` in order. Running out is an error rather than a default, so a test that
 * sees more proposals than it expected fails loudly instead of silently approving or vetoing.
 */
export function scriptedApprover(decisions: readonly ApprovalDecision[]): ScriptedApprover {
  const seen: Array<Pick<CandidateProposal, 'id' | 'action' | 'cost'>> = [];
  return {
    seen,
    decide: async (p: Offered) => {
      const next = decisions[seen.length];
      seen.push({ id: p.id, action: p.action, cost: p.cost });
      if (next === undefined) throw new Error(`scriptedApprover: no decision left for proposal ${p.id} (the script has ${decisions.length})`);
      return next;
    },
  };
}

import type { OfferedProposal } from '../../core/research/events.ts';
import type { ApproverPort } from '../../core/research/ports.ts';
import type { ConsoleStore } from './store.ts';

/**
 * The approval inbox as the loop's ApproverPort: each proposal waits in the store until the user
 * approves, vetoes (with or without a note) or kills, or until the standing auto-approval takes it.
 */
export function inboxApprover(store: ConsoleStore): ApproverPort {
  return {
    decide: (p) => {
      const source = (p as Partial<OfferedProposal>).source ?? 'rules';
      return store.getState().actions.offer({ ...p, source });
    },
  };
}

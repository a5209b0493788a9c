import type {
  AgentOptions, AgentResult, DirectorInput, DirectorPort, DirectorRanking, Review, ReviewerPort, ReviewInput,
} from '../../core/research/ports.ts';
import { ModelCallFailed } from './ask.ts';

/** A role fell back to its rules: what failed, and where its attempts are stored. */
export interface FallbackNotice {
  role: 'director' | 'reviewer';
  reason: string;
  transcripts: string[];
  /** Set on the failure that opened the role's breaker: the rules answer the rest of the session, without asking the model. */
  breaker?: string;
}

/** Consecutive failed calls after which a role stops asking the model for the rest of the session. */
export const BREAKER_AFTER = 2;

/**
 * Per role and session: after BREAKER_AFTER failed calls in a row, every later call goes straight to
 * the rules. A model that times out or is missing would otherwise cost its timeout on every round.
 */
export class Breaker {
  private failures = 0;

  get open(): boolean {
    return this.failures >= BREAKER_AFTER;
  }

  /** Records a call's outcome; true when this failure opened the breaker. */
  record(ok: boolean): boolean {
    if (ok) {
      this.failures = 0;
      return false;
    }
    this.failures += 1;
    return this.failures === BREAKER_AFTER;
  }
}

/**
 * Runs the model-backed role; on a failed model call answers with the rules (source `rules`),
 * keeping the failed attempts' transcript ids on the result and telling `notify`. A cancel or a
 * store failure is not a model failure and propagates.
 */
async function orRules<T>(
  role: FallbackNotice['role'], breaker: Breaker, model: () => Promise<AgentResult<T>>, rules: () => Promise<AgentResult<T>>, notify: (n: FallbackNotice) => void,
): Promise<AgentResult<T>> {
  if (breaker.open) return rules();
  let result: AgentResult<T>;
  try {
    result = await model();
  } catch (e) {
    if (!(e instanceof ModelCallFailed)) throw e;
    const opened = breaker.record(false);
    const r = await rules();
    notify({
      role, reason: e.reason, transcripts: e.transcripts,
      ...(opened ? { breaker: `${BREAKER_AFTER} calls in a row failed: the rules answer the ${role} for the rest of this session, without asking the model` } : {}),
    });
    return { ...r, transcripts: e.transcripts };
  }
  breaker.record(true);
  return result;
}

export class FallbackDirector implements DirectorPort {
  private readonly breaker = new Breaker();

  constructor(private readonly model: DirectorPort, private readonly rules: DirectorPort, private readonly notify: (n: FallbackNotice) => void = () => undefined) {}

  rank(input: DirectorInput, opts: AgentOptions = {}): Promise<AgentResult<DirectorRanking>> {
    return orRules('director', this.breaker, () => this.model.rank(input, opts), () => this.rules.rank(input, opts), this.notify);
  }
}

export class FallbackReviewer implements ReviewerPort {
  private readonly breaker = new Breaker();

  constructor(private readonly model: ReviewerPort, private readonly rules: ReviewerPort, private readonly notify: (n: FallbackNotice) => void = () => undefined) {}

  review(input: ReviewInput, opts: AgentOptions = {}): Promise<AgentResult<Review>> {
    return orRules('reviewer', this.breaker, () => this.model.review(input, opts), () => this.rules.review(input, opts), this.notify);
  }
}

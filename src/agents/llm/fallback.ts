import type {
  AgentOptions, AgentResult, DirectorInput, DirectorPort, DirectorRanking, Review, ReviewerPort, ReviewInput,
} from '../../core/research/ports.ts';
import { ModelCallFailed } from './ask.ts';

/** A role fell back to its rules: what failed, and where its attempts are stored. */
export interface FallbackNotice {
  role: 'director' | 'reviewer';
  reason: string;
  transcripts: string[];
}

/**
 * Runs the model-backed role; on a failed model call answers with the rules (source `rules`),
 * keeping the failed attempts' transcript ids on the result and telling `notify`. A cancel or a
 * store failure is not a model failure and propagates.
 */
async function orRules<T>(
  role: FallbackNotice['role'], model: () => Promise<AgentResult<T>>, rules: () => Promise<AgentResult<T>>, notify: (n: FallbackNotice) => void,
): Promise<AgentResult<T>> {
  try {
    return await model();
  } catch (e) {
    if (!(e instanceof ModelCallFailed)) throw e;
    const r = await rules();
    notify({ role, reason: e.reason, transcripts: e.transcripts });
    return { ...r, transcripts: e.transcripts };
  }
}

export class FallbackDirector implements DirectorPort {
  constructor(private readonly model: DirectorPort, private readonly rules: DirectorPort, private readonly notify: (n: FallbackNotice) => void = () => undefined) {}

  rank(input: DirectorInput, opts: AgentOptions = {}): Promise<AgentResult<DirectorRanking>> {
    return orRules('director', () => this.model.rank(input, opts), () => this.rules.rank(input, opts), this.notify);
  }
}

export class FallbackReviewer implements ReviewerPort {
  constructor(private readonly model: ReviewerPort, private readonly rules: ReviewerPort, private readonly notify: (n: FallbackNotice) => void = () => undefined) {}

  review(input: ReviewInput, opts: AgentOptions = {}): Promise<AgentResult<Review>> {
    return orRules('reviewer', () => this.model.review(input, opts), () => this.rules.review(input, opts), this.notify);
  }
}

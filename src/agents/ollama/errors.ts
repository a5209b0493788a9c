import { UserError } from '../../core/errors.ts';

/**
 * Typed Ollama failures. They extend UserError so the CLI prints the message without a stack:
 * every one of them is something the user can act on (start Ollama, pull a model, raise a timeout).
 */
export abstract class OllamaError extends UserError {
  abstract readonly kind: string;
}

export class OllamaDown extends OllamaError {
  readonly kind = 'down';
  override readonly name = 'OllamaDown';
  constructor(readonly host: string, server = 'Ollama') {
    super(`${server} is not running at ${host}`);
  }
}

export class ModelMissing extends OllamaError {
  readonly kind = 'missing_model';
  override readonly name = 'ModelMissing';
  constructor(readonly model: string) {
    super(`model ${model} is not installed: run \`ollama pull ${model}\``);
  }
}

/** `call` is the whole-call deadline: it holds even while chunks keep arriving. */
export type TimeoutWhich = 'connect' | 'first_byte' | 'idle' | 'call';

export class Timeout extends OllamaError {
  readonly kind = 'timeout';
  override readonly name = 'Timeout';
  constructor(readonly which: TimeoutWhich, readonly ms: number, readonly host: string, server = 'Ollama') {
    super(`${server} at ${host}: ${which === 'call' ? 'whole-call' : which.replace('_', '-')} timeout after ${ms} ms`);
  }
}

export class Aborted extends OllamaError {
  readonly kind = 'aborted';
  override readonly name = 'Aborted';
  constructor() {
    super('Ollama call cancelled');
  }
}

/** The server answered, but not with something usable: an error line mid-stream, a malformed line, an HTTP error. */
export class StreamFailure extends OllamaError {
  readonly kind = 'stream';
  override readonly name = 'StreamFailure';
  constructor(readonly detail: string) {
    super(`Ollama stream failed: ${detail}`);
  }
}

/** The model never produced JSON that the full schema accepts, after every retry. */
export class InvalidReply extends OllamaError {
  readonly kind = 'invalid_reply';
  override readonly name = 'InvalidReply';
  constructor(readonly role: string, readonly issues: string[], readonly attempts: number, readonly raw: string) {
    super(`${role}: the model's reply did not match the schema after ${attempts} attempt(s):\n${issues.join('\n')}`);
  }
}

/** The reply hit num_predict or the context limit (done_reason "length") on every attempt. */
export class Truncated extends OllamaError {
  readonly kind = 'truncated';
  override readonly name = 'Truncated';
  constructor(readonly role: string, readonly attempts: number) {
    super(`${role}: the model's reply was cut off (done_reason "length") after ${attempts} attempt(s)`);
  }
}

/**
 * The model kept generating output that cannot end in an answer: a long run of whitespace (some
 * backends pad until about 10 × num_ctx) or the same text over and over (greedy decoding loops).
 * The stream is stopped at once rather than paid for until num_predict or a timeout.
 */
export class Runaway extends OllamaError {
  readonly kind = 'runaway';
  override readonly name = 'Runaway';
  constructor(readonly what: string, readonly chars: number) {
    super(`the model's output ran away (${what}, ${chars} characters): stopped`);
  }
}

/** The prompt did not fit the context window: refused before the call, or cut by the server (prompt_eval_count). */
export class OverBudget extends OllamaError {
  readonly kind = 'over_budget';
  override readonly name = 'OverBudget';
  constructor(readonly role: string, detail: string) {
    super(`${role}: ${detail}`);
  }
}

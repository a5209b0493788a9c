import { UserError } from '../../core/errors.ts';
import type { AgentOptions, AgentResult, TranslationOut, TranslatorPort } from '../../core/research/ports.ts';
import type { Spec } from '../../core/spec/schema.ts';
import { SPEC_SCHEMA_ID } from '../../core/spec/schema.ts';
import { loadPrompt, type Prompt } from '../prompts/load.ts';
import { askModel, ModelCallFailed, quoted, type ModelContext } from './ask.ts';
import { indicatorCatalogue, TranslatorWireSchema, translatorFullSchema } from './translator-schema.ts';

export const TRANSLATOR_PROMPT_VERSION = 2;

export interface TranslatorOptions {
  /** The compiler's verdict on a draft (null = it compiles): a draft that fails is sent back to the model with the reason. */
  check?: (spec: Spec) => string | null;
}

/** The request text: the idea (fenced as data), why the rule parser refused it, and the vocabulary a spec may use. */
export function translatorRequest(idea: string, refusal: string | null): string {
  return [
    quoted('The idea', idea),
    refusal === null ? null : `The deterministic parser could not translate it:\n${refusal}`,
    `Indicator functions, with their arguments in order (each argument a number or "$param"):\n${indicatorCatalogue()}`,
    'Operands: a number ("30"), "$param", a price field (open high low close volume), an indicator id, or "id.output" for the ' +
      'multi-output functions above; append "[k]" (k ≥ 1) to read k bars back, e.g. "close[1]". A side with no conditions is unused.',
    'Translate the idea into the JSON reply.',
  ].filter((x) => x !== null).join('\n\n');
}

/** The Translator on a model: an idea → a spec draft that validates and compiles, an intent summary, a classification. */
export class OllamaTranslator implements TranslatorPort {
  private readonly prompt: Prompt = loadPrompt('translator', TRANSLATOR_PROMPT_VERSION);

  constructor(private readonly ctx: ModelContext, private readonly options: TranslatorOptions = {}) {}

  translate(idea: string, opts: AgentOptions = {}): Promise<AgentResult<TranslationOut>> {
    return this.draft(idea, null, opts);
  }

  /** As translate, telling the model why the rule parser refused the idea. */
  async draft(idea: string, refusal: string | null, opts: AgentOptions = {}): Promise<AgentResult<TranslationOut>> {
    const full = translatorFullSchema({ idea, ...(this.options.check === undefined ? {} : { check: this.options.check }) });
    return askModel(this.ctx, 'translator', this.prompt, translatorRequest(idea, refusal), TranslatorWireSchema, full, opts);
  }
}

/**
 * Rules first (DESIGN §1 stage 2): Pine and the rule language go to the deterministic parser, which
 * is exact; only what it refuses — free text, Pine outside the subset — goes to the model. When the
 * model fails too, the user gets the parser's refusal (exit 2) and what went wrong with the model.
 */
export class RulesFirstTranslator implements TranslatorPort {
  constructor(private readonly rules: TranslatorPort, private readonly model: OllamaTranslator) {}

  async translate(idea: string, opts: AgentOptions = {}): Promise<AgentResult<TranslationOut>> {
    let refusal: UserError;
    try {
      return await this.rules.translate(idea, opts);
    } catch (e) {
      // A spec document, a cancel or a bug is not a job for the model.
      if (!(e instanceof UserError) || e.exitCode !== 2 || opts.signal?.aborted === true || isSpecDocument(idea)) throw e;
      refusal = e;
    }
    try {
      const r = await this.model.draft(idea, refusal.message, opts);
      const why = refusal.message.split('\n')[0]!;
      return { ...r, value: { ...r.value, warnings: [`the rule parser could not translate this (${why}); the model drafted the spec: check it`, ...r.value.warnings] } };
    } catch (e) {
      if (!(e instanceof ModelCallFailed)) throw e;
      throw new UserError(`${refusal.message}\nThe model could not translate it either: ${e.reason}` +
        `${e.transcripts.length > 0 ? ` (transcripts ${e.transcripts.join(', ')})` : ''}`, refusal.exitCode);
    }
  }
}

function isSpecDocument(idea: string): boolean {
  const t = idea.trim();
  return t.startsWith('{') && t.includes(SPEC_SCHEMA_ID);
}

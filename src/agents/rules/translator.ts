import type { AgentOptions, AgentResult, TranslationOut, TranslatorPort } from '../../core/research/ports.ts';
import { parseSpecText } from '../../core/spec/parse.ts';
import { SPEC_SCHEMA_ID } from '../../core/spec/schema.ts';
import { translate, type TranslateOptions } from '../translate/index.ts';

/**
 * The deterministic Translator (offline fallback): the Pine / rule-language parser behind the port.
 * A spec v1 JSON document is accepted as it is (validated), so written specs can run the loop too.
 */
export class RulesTranslator implements TranslatorPort {
  constructor(private readonly options: TranslateOptions = {}) {}

  async translate(idea: string, opts: AgentOptions = {}): Promise<AgentResult<TranslationOut>> {
    opts.signal?.throwIfAborted();
    const text = idea.trim();
    if (text.startsWith('{') && text.includes(SPEC_SCHEMA_ID)) {
      const spec = parseSpecText(text, this.options.source ?? 'spec');
      return { value: { spec, summary: spec.idea === '' ? spec.name : spec.idea, warnings: [] }, source: 'rules' };
    }
    const t = translate(idea, this.options);
    return { value: { spec: t.spec, summary: t.summary, warnings: t.warnings }, source: 'rules' };
  }
}

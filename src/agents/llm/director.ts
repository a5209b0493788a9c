import { z } from 'zod';
import type { AgentOptions, AgentResult, DirectorInput, DirectorPort, DirectorRanking } from '../../core/research/ports.ts';
import { loadPrompt, type Prompt } from '../prompts/load.ts';
import { askModel, type ModelContext } from './ask.ts';

export const DIRECTOR_PROMPT_VERSION = 1;
const PROSE_MAX = 1000;

/**
 * The wire schema names the candidates by an enum of their ids and holds prose only: the model has
 * no field for a symbol, an interval, an action or a cost, so it cannot propose one (DESIGN §6).
 */
export function directorSchemas(ids: readonly [string, ...string[]]) {
  const Id = z.enum(ids);
  const Note = z.object({ id: Id, justification: z.string(), expected_information_gain: z.string() });
  const wire = z.object({ order: z.array(Id).max(ids.length), notes: z.array(Note).max(ids.length) });
  const full = wire.superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.order.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['order', i], message: `"${id}" appears twice: name each candidate at most once` });
      seen.add(id);
    });
    if (v.order.length === 0) ctx.addIssue({ code: 'custom', path: ['order'], message: 'order at least one candidate' });
    const noted = new Set<string>();
    v.notes.forEach((n, i) => {
      if (noted.has(n.id)) ctx.addIssue({ code: 'custom', path: ['notes', i, 'id'], message: `a second note for "${n.id}": write one note per id` });
      noted.add(n.id);
      for (const key of ['justification', 'expected_information_gain'] as const) {
        const t = n[key].trim();
        if (t === '') ctx.addIssue({ code: 'custom', path: ['notes', i, key], message: 'must not be empty' });
        if (t.length > PROSE_MAX) ctx.addIssue({ code: 'custom', path: ['notes', i, key], message: `at most ${PROSE_MAX} characters` });
      }
    });
    for (const id of v.order) {
      if (!noted.has(id)) ctx.addIssue({ code: 'custom', path: ['notes'], message: `no note for "${id}": every id in order needs one` });
    }
  }).transform((v): DirectorRanking => ({
    order: v.order,
    notes: Object.fromEntries(v.notes.filter((n) => v.order.includes(n.id))
      .map((n) => [n.id, { justification: n.justification.trim(), expected_information_gain: n.expected_information_gain.trim() }])),
  }));
  return { wire, full };
}

/** The request text: only what code computed — the classification, the facts, the candidates with their table costs. */
export function directorRequest(input: DirectorInput): string {
  const candidates = input.candidates.map((c) => ({ id: c.id, action: c.action, cost_credits: c.cost, detail: c.detail, rules_reason: c.rationale }));
  return [
    `Strategy classification: ${JSON.stringify(input.meta)}`,
    `Facts computed by code:\n${input.facts.length === 0 ? '(none yet)' : input.facts.map((f) => `- ${f}`).join('\n')}`,
    `Candidates the rules offer (costs come from the cost table and are not yours to change):\n${JSON.stringify(candidates, null, 1)}`,
    'Order these candidate ids, best first, and write one note per id you order.',
  ].join('\n\n');
}

/** The Director on a model: ranks and explains the candidates code built; it cannot add or price one. */
export class OllamaDirector implements DirectorPort {
  private readonly prompt: Prompt = loadPrompt('director', DIRECTOR_PROMPT_VERSION);

  constructor(private readonly ctx: ModelContext) {}

  async rank(input: DirectorInput, opts: AgentOptions = {}): Promise<AgentResult<DirectorRanking>> {
    const ids = input.candidates.map((c) => c.id);
    const [first, ...rest] = ids;
    if (first === undefined) return { value: { order: [], notes: {} }, source: 'rules' };
    const { wire, full } = directorSchemas([first, ...rest]);
    return askModel(this.ctx, 'director', this.prompt, directorRequest(input), wire, full, opts);
  }
}

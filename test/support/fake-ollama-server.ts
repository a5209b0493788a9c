/**
 * The fake Ollama server (test/support/fake-ollama.ts) as a process of its own, for tests and
 * screen captures that drive the console in a real terminal, where the server cannot live inside
 * the process under test. Every chat gets a good scripted reply for its role: the Translator
 * drafts GOOD_DRAFT (what PLAIN_IDEA means), the Director keeps the rules' order with plain prose,
 * the Reviewer answers REVIEW_REPLY.
 *
 *   npx tsx test/support/fake-ollama-server.ts     prints `fake-ollama listening on <url>`, then
 *                                                  one line per chat; SIGTERM or SIGINT stops it
 */
import { pathToFileURL } from 'node:url';
import { REVIEW_REPLY, directorReply, roleResponder, scenarios, startFakeOllama, type FakeOllama, type RoleResponder } from './fake-ollama.ts';

/** A plain-language idea the rule parser refuses, so only the model can translate it. */
export const PLAIN_IDEA = 'Buy when the RSI over 2 bars falls below about 50 and sell once it is back above 50; let me tune the RSI length and the entry level.';

const side = (conditions: Array<[string, string, string]>) => ({ combine: 'all', conditions: conditions.map(([left, op, right]) => ({ left, op, right })) });

/** What a model means by PLAIN_IDEA, in the Translator's wire shape: EDGE_IDEA of test/research/helpers.ts. */
export const GOOD_DRAFT = {
  name: 'rsi2 reversion', summary: 'Mean reversion on a short RSI: buy weakness, sell the recovery.',
  meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
  params: [{ name: 'len', value: 2, min: 2, max: 5, step: 1 }, { name: 'lo', value: 50, min: 30, max: 60, step: 5 }],
  indicators: [{ id: 'rsi_len', fn: 'rsi', source: 'close', args: ['$len'] }],
  rules: { long_entry: side([['rsi_len', '<', '$lo']]), long_exit: side([['rsi_len', '>', '50']]), short_entry: side([]), short_exit: side([]) },
  stop_loss_pct: 0, take_profit_pct: 0, warnings: [],
};

/** A model that answers every role well, whatever it is asked and however often. */
export function goodModel(): RoleResponder {
  return roleResponder({}, {
    translator: () => scenarios.valid(GOOD_DRAFT),
    director: (body) => scenarios.valid(directorReply(body)),
    reviewer: () => scenarios.valid(REVIEW_REPLY),
  });
}

/** The fake server answering with goodModel(). */
export async function startGoodFakeOllama(): Promise<{ fake: FakeOllama; model: RoleResponder }> {
  const model = goodModel();
  const fake = await startFakeOllama({ respond: (body) => model.respond(body) });
  return { fake, model };
}

async function serve(): Promise<void> {
  const { fake, model } = await startGoodFakeOllama();
  let answered = 0;
  process.stdout.write(`fake-ollama listening on ${fake.url}\n`);
  // One line per chat, so a log shows who was asked; polled rather than hooked (fake-ollama.ts stays as it is).
  const log = setInterval(() => {
    const total = model.calls.translator + model.calls.director + model.calls.reviewer;
    if (total !== answered) {
      answered = total;
      process.stdout.write(`chats: translator ${model.calls.translator}, director ${model.calls.director}, reviewer ${model.calls.reviewer}\n`);
    }
  }, 200);
  const stop = (): void => {
    clearInterval(log);
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await serve();

import { jsonrepair } from 'jsonrepair';

/**
 * Pulls the JSON value out of a model reply. Models ignore `format` often enough (MLX engine,
 * thinking models, old servers) that we accept ```json fences, prose before and after, and
 * whitespace padding, then let jsonrepair fix small syntax slips. Validation is the caller's job.
 * Throws a plain Error with a one-line reason when no JSON can be recovered.
 */
export function extractJson(raw: string): unknown {
  let text = withoutThinking(raw).trim();
  const fence = /```[a-zA-Z]*[ \t]*\r?\n?([\s\S]*?)```/.exec(text);
  if (fence?.[1] !== undefined) text = fence[1].trim();
  const start = text.search(/[{[]/);
  if (start < 0) throw new Error('the reply contains no JSON object');
  text = text.slice(start, balancedEnd(text, start));
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(jsonrepair(text));
    } catch (e) {
      throw new Error(`the reply is not valid JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
}

/**
 * The reply without its reasoning. Thinking models on servers older than Ollama's `thinking` field
 * (or with `think` unsupported) write `<think>…</think>` into the content, and that reasoning is full
 * of brackets: "Candidates [c1, c2]…" would be taken for the answer. An unclosed block is all
 * reasoning (the model was cut off while thinking), so nothing of it is kept; a lone closing tag
 * (the template opened the block) ends the reasoning before it.
 */
export function withoutThinking(raw: string): string {
  let closed = raw.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, '');
  // Templates that open the block in the prompt leave only its end in the reply: keep what follows.
  const end = /<\/(think|thinking|reasoning)>/gi;
  let last = -1;
  for (let m = end.exec(closed); m !== null; m = end.exec(closed)) last = m.index + m[0].length;
  if (last >= 0) closed = closed.slice(last);
  const open = /<(think|thinking|reasoning)>/i.exec(closed);
  return open === null ? closed : closed.slice(0, open.index);
}

/** Index just past the bracket that closes the one at `start` (strings respected), or the text's end. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

import { aboveZero } from '../research/gate.ts';
import { escapeInvisible, safeMarkdown } from '../safe-text.ts';
import { sha256 } from '../spec/hash.ts';
import type { Dossier, DossierLedgerEntry, DossierTrial } from './dossier.ts';
import { RULES, RULE_LABEL, indicatorText, paramsText, riskLevelText, ruleText } from './spec-text.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * The dossier's Markdown. Every trial, gate check, decision and ledger entry of the family is in
 * it; long lists sit in <details> blocks so the document stays readable on GitHub and still
 * greps in a terminal.
 */
export function renderDossier(d: Dossier): string {
  // The output boundary: every record's text (a model's diagnosis, a spec's idea) passes the one
  // sanitiser, so no control code, bidi override or lone \r (which would end a quoted line and let
  // the next one be a heading) reaches the file.
  return safeMarkdown([
    header(d), specSection(d), versionsSection(d), sessionsSection(d), trialsSection(d),
    gatesSection(d), decisionsSection(d), reviewsSection(d), promotionSection(d), ledgerSection(d),
  ].join('\n\n') + '\n');
}

/** A table cell: pipes escaped, newlines folded, so one record is one row. */
export function cell(v: unknown): string {
  const s = v === null || v === undefined ? '—' : typeof v === 'string' ? v : typeof v === 'number' ? formatNumber(v, 'value') : JSON.stringify(v);
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function table(head: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const line = (cells: readonly unknown[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

const short = (h: string | null): string => (h === null ? '—' : h.slice(0, 12));
const plural = (n: number, w: string, ws = `${w}s`): string => `${n} ${n === 1 ? w : ws}`;

function header(d: Dossier): string {
  const statuses = d.sessions.map((s) => `${s.id} ${s.status}`).join(', ') || 'no session';
  return [
    `# Dossier: ${d.name}`,
    '',
    table(['', ''], [
      ['spec id', `\`${d.spec_id}\``],
      ['logic_hash (family)', `\`${d.logic_hash}\``],
      ['params_hash', `\`${d.params_hash}\``],
      ['family', `${plural(d.versions.length, 'version')}, ${plural(d.sessions.length, 'session')}, ${plural(d.trials.length, 'trial')}, ${plural(d.gates.length, 'gate record')}, ${plural(d.decisions.length, 'proposal')}`],
      ['verdicts', statuses],
      ['credits spent', String(d.sessions.reduce((a, s) => a + s.spent, 0))],
      ['ledger', verifyText(d)],
      ...survivorshipRow(d),
    ]),
  ].join('\n');
}

/** Said whenever a session of the family ran on a universe that declares survivorship bias. */
function survivorshipRow(d: Dossier): string[][] {
  const biased = d.sessions.filter((s) => s.survivorship_biased).map((s) => s.id);
  if (biased.length === 0) return [];
  return [['data', `survivorship-biased universe (${biased.join(', ')}): its symbols are survivors chosen after the fact, so results may be better than a trader could have had`]];
}

export function verifyText(d: Pick<Dossier, 'verify'>): string {
  const v = d.verify;
  if (v.first_bad !== null) return `FAILED verification: entry #${v.first_bad.seq} (${v.first_bad.code}): ${v.first_bad.reason}`;
  if (v.head !== null) return `FAILED verification: ${v.head}`;
  return `verified: ${v.entries} entries, hash chain intact, balances add up`;
}

function specSection(d: Dossier): string {
  const s = d.spec;
  const rules = RULES.map((r) => [RULE_LABEL[r], ruleText(s, r) ?? '—']);
  return [
    '## Spec',
    '',
    `**${s.name}** — ${s.meta.style}, ${s.meta.holding_period} holding, ${s.meta.market_type}, volatility ${s.meta.volatility_preference}.`,
    '',
    s.idea.trim() === '' ? '_(no idea text)_' : `> ${s.idea.trim().replace(/\r?\n/g, '\n> ')}`,
    '',
    '### Rules',
    '',
    table(['rule', 'condition'], rules),
    '',
    '### Params',
    '',
    Object.keys(s.params).length === 0 ? '_none_' : table(['param', 'value', 'min', 'max', 'step'], Object.entries(s.params).map(([k, p]) => [k, p.value, p.min, p.max, p.step])),
    '',
    '### Indicators',
    '',
    Object.keys(s.indicators).length === 0 ? '_none_' : table(['id', 'definition'], Object.entries(s.indicators).map(([k, def]) => [k, indicatorText(def)])),
    '',
    `Risk: stop loss ${riskLevelText(s.risk, 'stop') ?? 'none'}, take profit ${riskLevelText(s.risk, 'target') ?? 'none'}. `
      + `Execution: fees ${s.execution.fees_bps} bps, slippage ${s.execution.slippage_bps} bps.`,
    '',
    '### Canonical JSON',
    '',
    canonicalNote(d),
    '',
    '```json',
    escapeInvisible(d.canonical_json),
    '```',
  ].join('\n');
}

/** The claim under the canonical JSON, checked rather than asserted: an edited stored spec no longer hashes to its id. */
function canonicalNote(d: Dossier): string {
  if (sha256(d.canonical_json) !== d.spec_id) return `**The sha256 of this text is not the spec id**: the stored spec was edited after it was recorded (\`gauntlet ledger --verify\` names the record).`;
  return escapeInvisible(d.canonical_json) === d.canonical_json
    ? 'The sha256 of this exact text is the spec id.'
    : 'The sha256 of this text is the spec id once its \\u escapes of invisible characters are written as the characters.';
}

function versionsSection(d: Dossier): string {
  return [
    '## Versions',
    '',
    `Every version with logic_hash \`${short(d.logic_hash)}\`, as a tree (a child differs from its parent in params only).`,
    '',
    table(['version', 'parent', 'created', 'params'], d.versions.map((v) => [
      `${'· '.repeat(Math.max(0, v.depth - 1))}${v.depth > 0 ? '└ ' : ''}\`${short(v.id)}\`${v.id === d.spec_id ? ' ◀' : ''}`, short(v.parent), v.created_at, paramsText(v.params),
    ])),
  ].join('\n');
}

function sessionsSection(d: Dossier): string {
  return [
    '## Sessions',
    '',
    d.sessions.length === 0 ? '_none_' : table(['session', 'mode', 'status', 'granted', 'spent', 'reason'], d.sessions.map((s) => [s.id, s.mode, s.status, s.granted, s.spent, s.reason])),
  ].join('\n');
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function trialsSection(d: Dossier): string {
  const bySource = new Map<string, DossierTrial[]>();
  for (const t of d.trials) bySource.set(t.source, [...(bySource.get(t.source) ?? []), t]);
  const summary = [...bySource].map(([src, ts]) => {
    const sh = ts.map((t) => t.sharpe).filter(Number.isFinite);
    return [src, ts.length, sh.length === 0 ? NaN : Math.min(...sh), median(sh), sh.length === 0 ? NaN : Math.max(...sh)];
  });
  return [
    `## Trials (${d.trials.length})`,
    '',
    'Every ledger `trial` of the family: what the Deflated Sharpe gate counts as N. Sharpe is per bar (not annualised), on the pooled visible segment; walk-forward trials carry no params.',
    '',
    d.trials.length === 0 ? '_none_' : table(['source', 'trials', 'min Sharpe', 'median', 'max'], summary),
    ...(d.trials.length === 0 ? [] : [
      '',
      `<details><summary>All ${d.trials.length} trials</summary>`,
      '',
      table(['seq', 'session', 'source', 'params', 'Sharpe'], d.trials.map((t) => [t.seq, t.session, t.source, paramsText(t.params), t.sharpe])),
      '',
      '</details>',
    ]),
  ].join('\n');
}

function gatesSection(d: Dossier): string {
  const out = ['## Gates', '', `${plural(d.gates.length, 'gate record')}. A gate is FAIL when any check is (evidence against: the strategy dies), INSUFFICIENT when any check could not be judged yet (more evidence was needed), PASS otherwise (docs/gates.md). A gates@1 verdict keeps its v1 meaning: DEAD was a v1 failure.`];
  for (const g of d.gates) {
    out.push('', `### ${g.gate}: ${g.verdict} (${g.config_version}; ${g.session}, version \`${short(g.spec_id)}\`, ${g.created_at})`, '');
    const sample = Object.entries(g.sample);
    if (sample.length > 0) out.push(`Sample: ${sample.map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ')}.`, '');
    if (g.checks.length > 0) {
      out.push(table(['check', 'measured', 'pass when', 'threshold', 'result', 'note'], g.checks.map((c) => [
        c.name, c.value === null ? 'unmeasured' : c.value, ...bound(c), c.verdict, c.note ?? '',
      ])));
    } else {
      out.push(`measured: \`${JSON.stringify(g.raw)}\``);
    }
    if (g.reason !== null) out.push('', `Reason: ${g.reason}`);
  }
  return out.join('\n');
}

/** A "strictly above 0" threshold (ABOVE_ZERO) is shown as > 0. */
function bound(c: { op: '>=' | '<='; threshold: number }): [string, number] {
  if (aboveZero(c)) return ['>', 0];
  return [c.op === '>=' ? '≥' : '≤', c.threshold];
}

function decisionsSection(d: Dossier): string {
  return [
    '## Decisions',
    '',
    'Each Director proposal, what the user (or the auto-approver) decided, and what the ledger charged.',
    '',
    d.decisions.length === 0 ? '_none_' : table(
      ['proposal', 'session', 'action', 'qty', 'cost', 'decision', 'by', 'note', 'ledger seq', 'charged', 'justification', 'source'],
      d.decisions.map((x) => [x.proposal_id, x.session, x.action, x.quantity, x.cost, x.decision, x.by, x.note, x.ledger_seq === null ? '—' : `#${x.ledger_seq}`, x.spent, x.justification, x.source]),
    ),
  ].join('\n');
}

function reviewsSection(d: Dossier): string {
  const out = ['## Reviews'];
  if (d.reviews.length === 0) out.push('', '_none_');
  for (const r of d.reviews) {
    out.push('', `### ${r.session}, ${r.created_at} (${r.source}): intent match ${r.intent_match}`, '', `> ${r.diagnosis.trim().replace(/\r?\n/g, '\n> ')}`);
    if (r.unsupported_numbers.length > 0) out.push('', `Numbers not in what the reviewer was shown: ${r.unsupported_numbers.join(', ')}`);
  }
  return out.join('\n');
}

function promotionSection(d: Dossier): string {
  return [
    '## Promotion',
    '',
    d.promotions.length === 0 ? '_not promoted_' : table(['library entry', 'session', 'version', 'added', 'promotion', 'stable across', 'ledger seq'],
      d.promotions.map((p) => [p.library_id, p.session, `\`${short(p.spec_id)}\``, p.added_at, p.promotion_id, p.stable_across, p.ledger_seq === null ? '—' : `#${p.ledger_seq}`])),
  ].join('\n');
}

/** Consecutive trials fold into one row (they are listed one by one above). */
function ledgerRows(entries: readonly DossierLedgerEntry[]): unknown[][] {
  const rows: unknown[][] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    let j = i;
    while (e.kind === 'trial' && j + 1 < entries.length && entries[j + 1]!.kind === 'trial' && entries[j + 1]!.seq === entries[j]!.seq + 1) j++;
    if (j > i) {
      const last = entries[j]!;
      rows.push([`#${e.seq}–#${last.seq}`, e.ts, e.session, 'trial', `trial ×${j - i + 1}`, 0, 0, last.balance, `\`${short(last.hash)}\``, `\`${short(e.prev)}\``]);
      i = j;
      continue;
    }
    rows.push([`#${e.seq}`, e.ts, e.session, e.kind, e.action, e.cost, e.credit, e.balance, `\`${short(e.hash)}\``, `\`${short(e.prev)}\``]);
  }
  return rows;
}

function ledgerSection(d: Dossier): string {
  return [
    '## Ledger excerpt',
    '',
    `Every entry of the sessions above (${d.ledger.length}), hashes shortened to 12 digits; a folded trial row shows the last entry's hash and the first entry's prev.`,
    '',
    `Chain: ${verifyText(d)}.`,
    '',
    `<details><summary>${plural(d.ledger.length, 'entry', 'entries')}</summary>`,
    '',
    table(['seq', 'time', 'session', 'kind', 'action', 'cost', 'credit', 'balance', 'hash', 'prev'], ledgerRows(d.ledger)),
    '',
    '</details>',
  ].join('\n');
}

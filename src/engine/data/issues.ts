/** Row-level findings of the loader: errors, warnings, and what `repair` did about them. */

export type IssueCode =
  | 'field_count'         // wrong number of fields on the line
  | 'empty_field'         // a price/volume/time field is empty
  | 'not_a_number'        // a price/volume field is not a plain decimal number (NaN, null, 1,5 …)
  | 'non_positive_price'  // open/high/low/close ≤ 0
  | 'negative_volume'
  | 'high_below_low'
  | 'open_outside_range'  // open not in [low, high]
  | 'close_outside_range' // close not in [low, high]
  | 'bad_time'            // time unparseable, or epoch seconds/ms inconsistent with the file
  | 'out_of_order'        // time earlier than the previous row's (of the same symbol)
  | 'duplicate_time'      // same time as an earlier row (of the same symbol)
  | 'suspected_bad_tick'; // warning: a close that jumps and reverts within one bar

export type Severity = 'error' | 'warning';

/** What repair did with the row: dropped it, or (unsorted input) moved it into time order. */
export type RepairAction = 'dropped' | 'reordered';

export interface RowIssue {
  /** The file as shown to the user. */
  file: string;
  /** 1-based line number in the (decompressed) file; the header is line 1. */
  line: number;
  /** Symbol of the row: the Name column in long files, else the file's symbol. */
  symbol: string;
  severity: Severity;
  /** The first problem found on the row; `codes` has them all. */
  code: IssueCode;
  codes: IssueCode[];
  /** All problems of the row, `; `-separated, with the offending values. */
  message: string;
  /** Set when `repair` acted on the row. */
  action?: RepairAction;
}

export function issueLine(i: RowIssue, withSymbol = true): string {
  const sym = withSymbol ? `${i.symbol}: ` : '';
  const act = i.action === undefined ? '' : i.action === 'dropped' ? ' — dropped' : ' — moved into time order';
  const tag = i.severity === 'warning' ? 'warning: ' : '';
  return `${i.file}:${i.line}: ${tag}${sym}${i.message}${act}`;
}

/** One issue per line, capped at `cap` lines with an "… and N more" tail. */
export function formatIssues(issues: readonly RowIssue[], cap = 20, indent = '  '): string {
  const shown = issues.slice(0, cap).map((i) => `${indent}${issueLine(i)}`);
  if (issues.length > cap) shown.push(`${indent}… and ${issues.length - cap} more`);
  return shown.join('\n');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

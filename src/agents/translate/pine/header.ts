import { bindArgs } from './args.ts';
import type { Expr } from './ast.ts';
import type { PineEvaluator } from './evaluate.ts';
import { fromNumber, HUNDRED, mul, toNumber } from './rational.ts';
import { describe } from './values.ts';

type Call = Expr & { t: 'call' };

/** strategy()'s parameters in Pine v5's positional order (v4 shares the prefix that matters). */
const STRATEGY_ARGS = ['title', 'shorttitle', 'overlay', 'format', 'precision', 'scale', 'pyramiding', 'calc_on_order_fills', 'calc_on_every_tick',
  'max_bars_back', 'backtest_fill_limits_assumption', 'default_qty_type', 'default_qty_value', 'initial_capital', 'currency', 'slippage',
  'commission_type', 'commission_value', 'process_orders_on_close', 'close_entries_rule', 'margin_long', 'margin_short', 'explicit_plot_zorder',
  'max_lines_count', 'max_labels_count', 'max_boxes_count', 'calc_bars_count', 'risk_free_rate', 'use_bar_magnifier', 'fill_orders_on_standard_ohlc',
  'max_polylines_count', 'dynamic_requests', 'behind_chart', 'linktoseries'];

export interface Header {
  readonly title: string;
  readonly fees_bps: number | null;
  readonly slippage_bps: number | null;
}

/**
 * Reads `strategy(title, …)`. Only what changes trading is translated: the commission (percent →
 * bps, exactly); settings that change the execution model are refused; sizing and cosmetics are
 * ignored (sizing with a warning: the spec always trades all equity).
 */
export function readHeader(ev: PineEvaluator, call: Call): Header {
  const a = bindArgs(ev, call, STRATEGY_ARGS, 1);
  const val = (key: string) => {
    const e = a.get(key);
    return e === undefined ? undefined : { e, v: ev.eval(e, 0) };
  };
  const title = val('title')!;
  if (title.v.k !== 'str') ev.fail(call.line, 'the strategy title', `it is ${describe(title.v)}, not a string literal`, 'Write strategy("My strategy", …).');
  const truthy = (key: string): boolean => { const x = val(key); return x !== undefined && x.v.k === 'bool' && x.v.v; };

  if (truthy('process_orders_on_close')) {
    ev.fail(call.line, '`process_orders_on_close=true`', 'it fills orders at the signal bar\'s close, and the spec fills at the next bar\'s open (docs/semantics.md)', 'Remove it.');
  }
  if (truthy('calc_on_order_fills')) {
    ev.fail(call.line, '`calc_on_order_fills=true`', 'it re-runs the script inside the bar after a fill, and the spec evaluates once per closed bar', 'Remove it.');
  }
  const slippage = val('slippage');
  if (slippage !== undefined && !(slippage.v.k === 'num' && slippage.v.v === 0)) {
    ev.fail(call.line, `\`slippage=${ev.q(slippage.e).slice(1, -1)}\``, 'Pine counts slippage in ticks, which depend on the instrument, and the spec counts basis points', 'Remove it and set execution.slippage_bps in the spec (or write the strategy in the rule language with "slippage N bps").');
  }
  const ctype = val('commission_type');
  if (ctype !== undefined && !(ctype.v.k === 'const' && ctype.v.name === 'strategy.commission.percent')) {
    ev.fail(call.line, `\`commission_type=${ev.q(ctype.e).slice(1, -1)}\``, 'a cash commission depends on the position size, and the spec charges a fraction of the notional', 'Use commission_type=strategy.commission.percent.');
  }
  // Not stated (null) unless the script sets it: the market default then applies (docs/costs.md).
  let fees: number | null = null;
  const cvalue = val('commission_value');
  if (cvalue !== undefined) {
    if (cvalue.v.k !== 'num' || cvalue.v.v < 0) ev.fail(call.line, '`commission_value`', `it is ${describe(cvalue.v)}, not a number ≥ 0`, 'Write the commission in percent, e.g. commission_value=0.02.');
    // Percent → basis points, exactly: 0.07 % is 7 bps, not 7.000000000000001.
    fees = toNumber(mul(fromNumber(cvalue.v.v), HUNDRED));
    if (fees > 1000) ev.fail(call.line, `\`commission_value=${cvalue.v.v}\``, `${cvalue.v.v} % is ${fees} bps, above the spec's limit of 1000 bps`, 'Check the value: it is in percent.');
  }
  const qtyType = val('default_qty_type');
  const qtyValue = val('default_qty_value');
  const allEquity = qtyType?.v.k === 'const' && qtyType.v.name === 'strategy.percent_of_equity' && qtyValue?.v.k === 'num' && qtyValue.v.v === 100;
  if ((qtyType !== undefined || qtyValue !== undefined) && !allEquity) {
    ev.warn(`line ${call.line}: the position size (default_qty_type/default_qty_value) is ignored: the spec always trades all equity, so returns scale differently from Pine's`);
  }
  // `slippage=0` is a stated zero; any other value was refused above.
  return { title: title.v.v as string, fees_bps: fees, slippage_bps: slippage === undefined ? null : 0 };
}

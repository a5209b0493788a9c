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
  // Pine's slippage is in ticks and a cash commission in currency per order or contract: neither
  // converts to the spec's basis points without the instrument's tick size and price, so both give
  // way to the market's default (stated in a warning, with how to set an exact figure).
  const slippage = val('slippage');
  const ticks = slippage !== undefined && !(slippage.v.k === 'num' && slippage.v.v === 0);
  if (ticks) {
    if (slippage.v.k !== 'num' || slippage.v.v < 0) ev.fail(call.line, `\`slippage=${ev.q(slippage.e).slice(1, -1)}\``, `it is ${describe(slippage.v)}, not a number of ticks ≥ 0`, 'Write slippage=N with N a whole number of ticks.');
    ev.warn(`line ${call.line}: slippage=${slippage.v.v} is in ticks, which depend on the instrument's tick size and price, so the spec uses the market's default slippage in basis points instead; to set it exactly, add the line "// @gauntlet slippage_bps=N" to the script`);
  }
  const ctype = val('commission_type');
  const cash = ctype !== undefined && !(ctype.v.k === 'const' && ctype.v.name === 'strategy.commission.percent');
  if (cash && !(ctype.v.k === 'const' && (ctype.v.name === 'strategy.commission.cash_per_order' || ctype.v.name === 'strategy.commission.cash_per_contract'))) {
    ev.fail(call.line, `\`commission_type=${ev.q(ctype.e).slice(1, -1)}\``, `it is ${describe(ctype.v)}`, 'Use strategy.commission.percent, cash_per_order or cash_per_contract.');
  }
  // Not stated (null) unless the script sets it: the market default then applies (docs/costs.md).
  let fees: number | null = null;
  const cvalue = val('commission_value');
  if (cash) {
    const shown = cvalue === undefined ? '' : ` of ${ev.q(cvalue.e).slice(1, -1)}`;
    ev.warn(`line ${call.line}: the ${ev.q(ctype.e).slice(1, -1)} commission${shown} is in currency, which depends on the position size and price, so the spec uses the market's default fees in basis points instead; to set them exactly, use commission_type=strategy.commission.percent or add the line "// @gauntlet fees_bps=N" to the script`);
  } else if (cvalue !== undefined) {
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
  // `slippage=0` is a stated zero; ticks give way to the market default (null).
  return { title: title.v.v as string, fees_bps: fees, slippage_bps: slippage === undefined || ticks ? null : 0 };
}

import type { FC } from 'react';
import { DEFAULT_LIMITS } from '../../core/spec/complexity.ts';
import { indicatorText } from '../../core/report/spec-text.ts';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { useConsole } from '../useConsole.ts';
import type { PaneSize } from './size.ts';

/** ④ Compiler: complexity against its limits, causality, and the indicator wiring. */
export const CompilerPane: FC<PaneSize> = ({ width, height }) => {
  const report = useConsole((s) => s.compiler);
  const spec = useConsole((s) => s.spec?.spec ?? null);
  const causality = useConsole((s) => s.gates.find((g) => g.gate === 'causality') ?? null);
  const status = useConsole((s) => s.stages.compiler.status);
  const lines: Line[] = [];
  if (report !== null) {
    const c = report.complexity;
    const l = DEFAULT_LIMITS;
    lines.push({ text: `${c.indicators}/${l.maxIndicators} ind · ${c.longConditions}/${l.maxConditionsPerSide} long · ${c.shortConditions}/${l.maxConditionsPerSide} short · ${c.optimizableParams}/${l.maxOptimizableParams} params`, bold: true });
    const causal = causality === null ? 'causal: probe after the first run' : causality.pass ? 'causal ✓' : 'causal ✗';
    lines.push(`warm-up ${report.warmup} bars · ${causal}`);
    if (report.unusedParams.length > 0) lines.push({ text: `unused params: ${report.unusedParams.join(', ')}`, color: 'yellow' });
  }
  if (spec !== null) {
    for (const [id, def] of Object.entries(spec.indicators)) lines.push(`${id} ← ${indicatorText(def)}`);
    for (const [name, p] of Object.entries(spec.params)) lines.push({ text: `$${name} = ${p.value} in [${p.min}, ${p.max}] step ${p.step}`, dim: true });
  }
  return (
    <Pane n={4} title="Compiler" status={status} width={width} height={height}>
      <Lines lines={lines} width={width} max={height - 1} />
    </Pane>
  );
};

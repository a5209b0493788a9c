import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints `code` as if it lived at `path`, with the project's config; returns the rule ids that fired. */
async function firedRules(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse');
}

describe('import direction (DESIGN §2: ui → agents, engine → core)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['src/core/x.ts', "import { compile } from '../engine/compiler/compile.ts';", false],
    ['src/core/x.ts', "import { translate } from '../agents/translate/index.ts';", false],
    ['src/core/x.ts', "import { main } from '../cli.ts';", false],
    ['src/engine/x.ts', "import { translate } from '../agents/translate/index.ts';", false],
    ['src/engine/x.ts', "import { run } from '../commands/backtest.ts';", false],
    ['src/agents/x.ts', "import { compile } from '../engine/compiler/compile.ts';", false],
    ['src/engine/x.ts', "import { Box } from 'ink';", false],
    ['src/core/x.ts', "import React from 'react';", false],
    ['src/engine/x.ts', "import { UserError } from '../core/errors.ts';", true],
    ['src/agents/x.ts', "import { UserError } from '../core/errors.ts';", true],
    ['src/agents/ollama/y.ts', "import { OllamaClient } from './ollama-client.ts';", true],
    ['src/commands/x.ts', "import { compile } from '../engine/compiler/compile.ts';", true],
  ];
  for (const [path, line, allowed] of cases) {
    it(`${allowed ? 'allows' : 'forbids'} in ${path}: ${line}`, async () => {
      const fired = await firedRules(path, `${line}\nexport const used = [${line.match(/import \{? ?(\w+)/)![1]}];\n`);
      expect(fired.includes('no-restricted-imports')).toBe(!allowed);
    });
  }
});

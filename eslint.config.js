// Lint rules. The import-direction blocks encode DESIGN §2: ui → agents, engine → core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noReactOutsideUi = [
  { name: 'ink', message: 'ink belongs to src/ui only (DESIGN §2).' },
  { name: 'react', message: 'react belongs to src/ui only (DESIGN §2).' },
  { name: 'ink-testing-library', message: 'ink-testing-library belongs to UI tests only.' },
];

const layer = (files, forbidden, why) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      paths: noReactOutsideUi,
      patterns: forbidden.map((group) => ({ group: [group], message: why })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.gauntlet/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-throw-literal': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  layer(['src/core/**'], ['**/engine/**', '**/agents/**', '**/ui/**', '**/commands/**', '**/cli.ts', '**/cli.js'],
    'src/core imports nothing from engine, agents, ui or the CLI (DESIGN §2: ui → agents, engine → core).'),
  layer(['src/engine/**'], ['**/agents/**', '**/ui/**', '**/commands/**', '**/cli.ts', '**/cli.js'],
    'src/engine may import only src/core (DESIGN §2).'),
  layer(['src/agents/**'], ['**/engine/**', '**/ui/**', '**/commands/**', '**/cli.ts', '**/cli.js'],
    'src/agents may import only src/core (DESIGN §2).'),
  {
    files: ['src/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/commands/**', '**/cli.ts', '**/cli.js'], message: 'the UI does not import the composition root.' }] }] },
  },
);

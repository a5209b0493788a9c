#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so `npm install` is the only build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

// The repo's tsconfig, wherever the command runs from: without it tsx falls back to the classic
// JSX transform and the console fails with "React is not defined" outside the repo.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const entry = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
await import(entry);

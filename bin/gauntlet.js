#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so `npm install` is the only build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const entry = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
await import(entry);

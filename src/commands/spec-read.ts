/** Reading a spec file for `gauntlet spec`: the file, its validation, its compilation, each problem naming the file. */
import { statSync } from 'node:fs';
import { MAX_TEXT_BYTES, readInputText } from '../core/input-file.ts';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { ComplexityLimits } from '../core/spec/complexity.ts';
import { parseSpecText } from '../core/spec/parse.ts';
import type { Spec } from '../core/spec/schema.ts';
import { compile, type CompiledSpec } from '../engine/compiler/compile.ts';
import type { Io } from './io.ts';

// ---- reading -------------------------------------------------------------------------------------

function readSpecText(io: Io, file: string): string {
  const path = resolve(io.cwd, file);
  try {
    if (statSync(path).isDirectory()) throw new UserError(`${file}: is a directory, not a spec file`);
    return readInputText(path, file, MAX_TEXT_BYTES, 'spec');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read the spec (${code ?? String(e)})`);
  }
}

/** Reads and validates a spec file; every problem is a UserError naming the file (and line or JSON path). */
export function loadSpecFile(io: Io, file: string): Spec {
  return parseSpecText(readSpecText(io, file), file);
}

/** Compiles a validated spec; a problem becomes a UserError prefixed with the file. */
export function compileFile(spec: Spec, file: string, limits: ComplexityLimits): CompiledSpec {
  // References (own properties only: "constructor" names nothing) are core/spec/references.ts's, run by the compiler.
  try {
    return compile(spec, limits);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${file}: ${e.message}`);
    throw e;
  }
}


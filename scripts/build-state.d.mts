// Types of build-state.mjs, for the TypeScript that imports it (tests, bench).
export declare const ROOT: string;
export declare const SRC: string;
export declare const DIST: string;
export declare const STAMP: string;
export declare function listFiles(dir: string): string[];
export declare function buildProblem(root?: string): string | null;

// Types of build.mjs, for the TypeScript that imports it (tests, bench).
export declare function build(opts?: { quiet?: boolean }): Promise<{ files: number; ms: number }>;

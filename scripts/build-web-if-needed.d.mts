// Types of build-web-if-needed.mjs, for the TypeScript callers (the browser tests).
export function webBuildIsStale(): boolean;
export function buildWebIfNeeded(options?: { log?: (message: string) => void }): Promise<boolean>;

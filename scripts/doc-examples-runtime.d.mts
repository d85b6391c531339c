// Types of doc-examples-runtime.mjs, for the TypeScript that imports it (apps/docs/test).
export function __docCheck<T>(actual: T, expectedText: string, where: string): T;

// Types of doc-example-lines.mjs, for the TypeScript that imports it (apps/docs/runtime).
export function isLiteral(s: string): boolean;
export function balanced(code: string): boolean;
export function valueLines(lines: readonly string[]): { index: number; indent: string; expr: string; literal: string }[];
export function loggedArgument(expr: string): string | null;

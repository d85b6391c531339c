// Types of error-catalogue.mjs, for the TypeScript that imports it (scripts/test).
export interface ErrorSite {
  cls: string;
  pkg: string;
  file: string;
  line: number;
  message: string;
}
export const REPO: string;
export const PAGE: string;
export const START: string;
export const END: string;
export function stripComments(src: string): string;
export function callArguments(src: string, open: number): { args: string[]; end: number };
export function messageTemplate(expr: string): string;
export function errorSites(repo?: string): ErrorSite[];
export function renderCatalogue(sites: ErrorSite[]): string;
export function withCatalogue(page: string, generated: string): string;

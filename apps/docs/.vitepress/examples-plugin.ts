// markdown-it plugin: wraps every example fence of a page (guides and the typedoc output alike) in
// the <TgExample> component. It runs at build time, in Node, so the decision "Run button or badge"
// is made once per block by the runtime's classifyExample (the same rule the Chromium test and the
// runner rely on) and the page ships the verdict instead of recomputing it.
//
// The highlighted HTML that VitePress/Shiki renders stays the component's default slot: the page
// looks the same before hydration, without JavaScript, and to search engines. The source travels
// in a URI-encoded attribute, the form that survives both Vue's template compiler and HTML.
import type { MarkdownRenderer } from 'vitepress';
import { classifyExample } from '../runtime/classify.js';

const EXAMPLE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript']);

/**
 * Each example's verdict, keyed by page and line: VitePress renders a page more than once (client,
 * server, search index), so counting renders would count each example several times.
 */
export const exampleVerdicts = new Map<string, 'runnable' | 'node' | 'excerpt' | 'other'>();

export function exampleCounts(): Record<'runnable' | 'node' | 'excerpt' | 'other', number> {
  const counts = { runnable: 0, node: 0, excerpt: 0, other: 0 };
  for (const verdict of exampleVerdicts.values()) counts[verdict]++;
  return counts;
}

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function examplesPlugin(md: MarkdownRenderer): void {
  const fence = md.renderer.rules.fence;
  if (!fence) throw new Error('examplesPlugin: expected markdown-it to have a fence renderer (VitePress installs one); register this plugin through markdown.config');
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const html = fence(tokens, index, options, env, self);
    const info = token.info.trim();
    const language = info.split(/\s+/)[0]?.replace(/[{:].*$/, '') ?? '';
    if (!EXAMPLE_LANGUAGES.has(language)) return html;
    const verdict = classifyExample(token.content, info);
    const page = (env as { relativePath?: string }).relativePath ?? '?';
    exampleVerdicts.set(`${page}:${token.map?.[0] ?? index}`, verdict.runnable ? 'runnable' : verdict.kind);
    const code = escapeAttribute(encodeURIComponent(token.content));
    const attributes = verdict.runnable
      ? `code="${code}" :runnable="true"`
      : `code="${code}" :runnable="false" kind="${verdict.kind}" reason="${escapeAttribute(verdict.reason)}"`;
    return `<TgExample ${attributes}>${html}</TgExample>\n`;
  };
}

// Assembles the documentation site in dist-docs/: the guides of docs/*.md (copied, and rendered to
// plain HTML so the site needs no server-side tooling), an index page, and the API reference that
// typedoc has already written to dist-docs/api.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const guidesSrc = join(here, '..', '..', 'docs');
const out = join(here, 'dist-docs');
const guidesOut = join(out, 'guides');
mkdirSync(guidesOut, { recursive: true });

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const inline = (s) =>
  esc(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, text, href) => `<a href="${href.replace(/\.md(#|$)/, '.html$1')}">${text}</a>`);

/** A deliberately small Markdown renderer: headings, fenced code, lists, tables as text, paragraphs. */
function render(md) {
  const html = [];
  const lines = md.split('\n');
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) html.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
    if (list) html.push(`</${list}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^```(\w*)/);
    if (fence) {
      flush();
      const code = [];
      while (++i < lines.length && !lines[i].startsWith('```')) code.push(lines[i]);
      html.push(`<pre><code class="language-${fence[1] || 'text'}">${esc(code.join('\n'))}</code></pre>`);
      continue;
    }
    const h = line.match(/^(#{1,6})\s+(.*)$/);
    if (h) {
      flush();
      html.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`);
      continue;
    }
    const li = line.match(/^\s*(?:[-*]|(\d+)\.)\s+(.*)$/);
    if (li) {
      const kind = li[1] ? 'ol' : 'ul';
      if (para.length) flush();
      if (list !== kind) {
        if (list) html.push(`</${list}>`);
        html.push(`<${kind}>`);
        list = kind;
      }
      html.push(`<li>${inline(li[2])}</li>`);
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    if (list) flush();
    para.push(line.trim());
  }
  flush();
  return html.join('\n');
}

const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}
pre{background:#f4f4f4;padding:.75rem;overflow:auto}code{font-size:.9em}</style></head>
<body>${body}</body></html>
`;

const guides = existsSync(guidesSrc) ? readdirSync(guidesSrc).filter((f) => f.endsWith('.md')).sort() : [];
const entries = [];
for (const file of guides) {
  const md = readFileSync(join(guidesSrc, file), 'utf8');
  const title = (md.match(/^#\s+(.*)$/m) ?? [null, file.replace(/\.md$/, '')])[1];
  const htmlName = file.replace(/\.md$/, '.html');
  copyFileSync(join(guidesSrc, file), join(guidesOut, file));
  writeFileSync(join(guidesOut, htmlName), page(title, `<p><a href="../index.html">tensorgrad docs</a></p>\n${render(md)}`));
  entries.push(`<li><a href="guides/${htmlName}">${inline(title)}</a></li>`);
}

if (!existsSync(join(out, 'api', 'index.html'))) {
  console.error('build-site: dist-docs/api/index.html is missing: run typedoc first (pnpm docs)');
  process.exit(1);
}
writeFileSync(
  join(out, 'index.html'),
  page(
    'tensorgrad documentation',
    `<h1>tensorgrad documentation</h1>
<p>PyTorch-style deep learning for TypeScript.</p>
<h2>API reference</h2>
<p><a href="api/index.html">API reference</a> of <code>tensorgrad</code>, <code>@tensorgrad/tensor</code>,
<code>@tensorgrad/autodiff</code> and <code>@tensorgrad/backend-cpu</code>.</p>
<h2>Guides</h2>
${entries.length ? `<ul>\n${entries.join('\n')}\n</ul>` : '<p>No guides yet.</p>'}`,
  ),
);
console.log(`docs site: ${entries.length} guide(s) + API reference -> ${out}`);

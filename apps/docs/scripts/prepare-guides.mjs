// Copies the guides of the repository's docs/ (and docs/images/) into apps/docs/guide/ for
// VitePress, and writes guide/guide-sidebar.json. The guides stay where contributors edit them and
// where GitHub renders them; the copy only rewrites what differs on the site: a link that leaves
// docs/ (`../examples/src/…`, `../packages/…`) points at the file on GitHub, since the site does
// not serve the repository's sources. Links between guides and to images stay relative and are
// checked by VitePress's dead-link check.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const source = join(repo, 'docs');
const target = join(here, '..', 'guide');
const GITHUB = 'https://github.com/tensorgrad/tensorgrad/blob/main/';

/** Sidebar sections: the reading order a newcomer wants; a guide no rule matches goes to "More". */
/** @type {{ text: string; match: (name: string) => number }[]} */
const SECTIONS = [
  { text: 'Start here', match: (n) => ['getting-started', 'choosing-a-backend', 'memory-management', 'errors'].indexOf(n) },
  { text: 'Chapters', match: (n) => (n.startsWith('chapter-') ? Number.parseInt(n.slice(8), 10) : -1) },
  { text: 'Moving from…', match: (n) => ['moving-from-pytorch', 'moving-from-tfjs', 'train-in-pytorch'].indexOf(n) },
];

/**
 * Rewrites a Markdown link target found in a guide; `null` keeps it as it is.
 * @param {string} href
 * @returns {string | null}
 */
export function rewriteGuideLink(href) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return null;
  if (!href.startsWith('../')) return null;
  const resolved = posix.normalize(posix.join('docs', href));
  if (resolved.startsWith('../')) throw new Error(`prepare-guides: link ${href} leaves the repository; link to a file inside it`);
  // VitePress's dead-link check does not see GitHub links: check the file is in the repository here
  const file = resolved.replace(/[?#].*$/, '');
  if (!existsSync(join(repo, file))) {
    throw new Error(`prepare-guides: dead link ${href}: expected a file or folder at ${file} in the repository; fix the path or remove the link`);
  }
  return GITHUB + resolved;
}

/** @param {string} markdown */
function rewriteLinks(markdown) {
  let inFence = false;
  return markdown
    .split('\n')
    .map((/** @type {string} */ line) => {
      if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
      if (inFence) return line;
      return line.replace(/(\]\()([^)\s]+)(\))/g, (/** @type {string} */ whole, /** @type {string} */ open, /** @type {string} */ href, /** @type {string} */ close) => {
        const rewritten = rewriteGuideLink(href);
        return rewritten === null ? whole : `${open}${rewritten}${close}`;
      });
    })
    .join('\n');
}

/**
 * @param {string} markdown
 * @param {string} name
 */
function titleOf(markdown, name) {
  const heading = /^#\s+(.+)$/m.exec(markdown)?.[1];
  return (heading ?? name).replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
/** @type {{ name: string; title: string }[]} */
const guides = [];
for (const file of readdirSync(source).filter((f) => f.endsWith('.md')).sort()) {
  const name = file.slice(0, -3);
  const markdown = readFileSync(join(source, file), 'utf8');
  writeFileSync(join(target, file), rewriteLinks(markdown));
  guides.push({ name, title: titleOf(markdown, name) });
}
if (existsSync(join(source, 'images'))) cpSync(join(source, 'images'), join(target, 'images'), { recursive: true });

/** @typedef {{ text: string; link: string; order?: number }} GuideItem */
/** @type {{ text: string; items: GuideItem[] }[]} */
const sidebar = SECTIONS.map((s) => ({ text: s.text, items: [] }));
/** @type {{ text: string; items: GuideItem[] }} */
const more = { text: 'More', items: [] };
for (const g of guides) {
  const index = SECTIONS.findIndex((s) => s.match(g.name) >= 0);
  /** @type {GuideItem} */
  const item = { text: g.title, link: `/guide/${g.name}`, order: SECTIONS[index]?.match(g.name) ?? 0 };
  (index >= 0 ? sidebar[index] ?? more : more).items.push(item);
}
for (const section of [...sidebar, more]) {
  section.items.sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.text.localeCompare(b.text));
  for (const item of section.items) delete item.order;
}
const sections = [...sidebar, more].filter((s) => s.items.length);
writeFileSync(join(target, 'guide-sidebar.json'), JSON.stringify(sections, null, 2));
console.log(`prepare-guides: ${guides.length} guides copied to ${target}`);

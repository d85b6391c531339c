// VitePress configuration of the documentation site. Sources: the home page (../index.md), the
// guides copied from the repository's docs/ into ../guide/ (scripts/prepare-guides.mjs) and the
// API reference typedoc writes to ../api/ (typedoc.site.json + typedoc/site-plugin.mjs); both
// generated folders are gitignored. Output: ../dist/.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme, type Plugin } from 'vitepress';
import { tfjsWasmBinaries } from '../../../scripts/vite-tfjs-wasm.mjs';
import { examplesPlugin, exampleCounts } from './examples-plugin.js';

const docsDir = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../../packages/', import.meta.url));

function readGenerated<T>(path: string, producedBy: string): T {
  const file = docsDir + path;
  if (!existsSync(file)) throw new Error(`${path} is missing: run \`${producedBy}\` first (\`pnpm --filter @tensorgrad/docs docs\` runs every step)`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const guideSidebar = readGenerated<DefaultTheme.SidebarItem[]>('guide/guide-sidebar.json', 'node scripts/prepare-guides.mjs');
const apiSidebar = readGenerated<DefaultTheme.SidebarMulti>('api/api-sidebar.json', 'typedoc --options typedoc.site.json');
const firstGuide = guideSidebar[0]?.items?.[0]?.link ?? '/guide/';

// The site's vite resolves the packages to their TypeScript sources, as vitest does
// (vitest.shared.ts): the docs build then needs no prior `turbo run build`, and the examples run
// against the code the pages document.
const source = (pkg: string, file = 'index.ts') => `${packagesDir}${pkg}/src/${file}`;
const aliases = [
  { find: /^@tensorgrad\/tensor\/backend$/, replacement: source('tensor', 'plugin.ts') },
  ...['tensor', 'autodiff', 'backend-cpu', 'backend-webgpu', 'backend-tfjs', 'layers', 'losses', 'optimizers', 'data', 'io', 'vision'].map((pkg) => ({
    find: new RegExp(`^@tensorgrad/${pkg}$`),
    replacement: source(pkg),
  })),
  { find: /^tensorgrad$/, replacement: source('tensorgrad') },
];

/**
 * The API sidebar of a topic lists up to ~260 names, and VitePress renders every sidebar item into
 * every page's HTML, collapsed or not (~90 KB a page, most of the site's size). This patch makes
 * the default theme's sidebar item render a collapsed section's children only once expanded: the
 * HTML carries the section headings and the children of the section holding the current page, which
 * style.css shows open until hydration (when the theme expands that section itself), so the sidebar
 * does not jump on load. VitePress is pinned exactly (package.json), and the patch fails loudly when
 * the template it edits changes.
 */
function leanSidebar(): Plugin {
  const needle = '<ul v-if="item.items && item.items.length" class="items">';
  return {
    name: 'tensorgrad-docs:lean-sidebar',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/VPSidebarItem.vue')) return undefined;
      if (!code.includes(needle)) {
        throw new Error(`lean-sidebar: VitePress's VPSidebarItem.vue no longer contains ${needle}; update the patch in .vitepress/config.ts for this VitePress version`);
      }
      return code.replace(needle, '<ul v-if="item.items && item.items.length && (!collapsed || hasActiveLink)" class="items">');
    },
  };
}

/**
 * The site serves the Fashion-MNIST page (apps/fashion-mnist's build, data included) under /app/,
 * the "Example app" of the top bar: the same files `npm run web` serves, so the site and the app
 * cannot drift apart. The app's build is a dependency of this package's docs task (turbo builds it
 * first); a build without it fails here rather than publish a link to nothing.
 */
function embedApp(outDir: string): void {
  const appDist = fileURLToPath(new URL('../../fashion-mnist/dist-web/', import.meta.url));
  if (!existsSync(join(appDist, 'index.html'))) {
    throw new Error(
      `the site's Example app (/app/) is the Fashion-MNIST page, but ${appDist}index.html does not exist; build it with \`pnpm --filter @tensorgrad/fashion-mnist build\` (\`npm run docs\` builds it first)`,
    );
  }
  const target = join(outDir, 'app');
  rmSync(target, { recursive: true, force: true });
  cpSync(appDist, target, { recursive: true });
  console.log(`example app: ${appDist} copied into ${target}${existsSync(join(appDist, 'data')) ? '' : ' (without data: the app build found no Fashion-MNIST files)'}`);
}

export default defineConfig({
  title: 'tensorgrad',
  description: 'PyTorch-style deep learning for TypeScript: tensors, autograd, layers and optimizers on CPU, WebGPU and TF.js',
  lang: 'en-US',
  outDir: 'dist',
  cleanUrls: true,
  lastUpdated: false,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  srcExclude: ['**/README.md', 'node_modules/**', 'test/**', 'runtime/**'],
  markdown: {
    config: (md) => {
      md.use(examplesPlugin);
    },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: firstGuide, activeMatch: '^/guide/' },
      { text: 'API', link: '/api/', activeMatch: '^/api/' },
      // not a VitePress page: `target` keeps the router from handling it (a full page load)
      { text: 'Example app', link: '/app/', target: '_self' },
    ],
    sidebar: { '/guide/': guideSidebar, ...apiSidebar },
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    logo: '/favicon.svg',
    socialLinks: [{ icon: 'github', link: 'https://github.com/tensorgrad/tensorgrad' }],
    footer: { message: 'MIT licensed. Examples run in your browser, in a Web Worker, on the backend picked in the top bar.' },
  },
  vite: {
    plugins: [leanSidebar(), tfjsWasmBinaries()],
    resolve: { alias: aliases },
    // keepNames: the library reads class names at run time (Module.typeName, summary() tables,
    // error messages), which minification would turn into 'e'
    worker: { format: 'es', rolldownOptions: { output: { keepNames: true } } },
    build: { chunkSizeWarningLimit: 4000 },
  },
  buildEnd(site) {
    const { runnable, node, excerpt, other } = exampleCounts();
    console.log(`examples: ${runnable} runnable, ${node} node-only, ${excerpt} excerpts, ${other} other (not offered a Run button)`);
    embedApp(site.outDir);
  },
});

// typedoc plugin for the site's API reference (loaded by typedoc.site.json).
//
// Why it exists: the `tensorgrad` umbrella re-exports ~900 names. typedoc puts all of them in one
// module directory and typedoc-vitepress-theme builds one flat sidebar of them, which every one
// of the ~1,000 pages would carry in its HTML. Readers look for things by topic (layers, losses,
// optimizers…), which is the package each export comes from. So this plugin
//   1. names the entry modules after the import path a reader writes (`tensorgrad`,
//      `@tensorgrad/tensor/backend`, …) instead of their file paths;
//   2. routes every umbrella export to /api/<topic>/<kind>/<name>, the topic being its source
//      package (the router computes every link, so links stay right);
//   3. drops the @example of inherited members (every layer inherits Module's methods, Parameter
//      Tensor's): the example stays on the page that defines the member, instead of ~800 copies;
//      and of members declared by the platform's typings (their examples are Node's, not ours);
//   4. writes a sidebar per topic (api-sidebar.json: the site config keys it by /api/<topic>/, so
//      a page carries its own topic's names only) and an index page per topic listing its
//      exports with their one-line summaries.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Comment, Converter, ReflectionKind, RendererEvent } from 'typedoc';
import { MarkdownPageEvent, MemberRouter } from 'typedoc-plugin-markdown';

/** Module name (as typedoc derives it from the entry file path) → the import path readers use. */
const MODULE_NAMES = [
  [/packages[\\/]tensorgrad[\\/]src/, 'tensorgrad'],
  [/packages[\\/]tensor[\\/]src[\\/]plugin/, '@tensorgrad/tensor/backend'],
  [/packages[\\/]backend-webgpu[\\/]src/, '@tensorgrad/backend-webgpu'],
  [/packages[\\/]backend-tfjs[\\/]src/, '@tensorgrad/backend-tfjs'],
];

/** Topic of an umbrella export, by the package its declaration lives in; order = sidebar order. */
export const TOPICS = [
  { pkg: 'tensor', dir: 'tensors', title: 'Tensors & ops' },
  { pkg: 'autodiff', dir: 'autodiff', title: 'Autodiff' },
  { pkg: 'layers', dir: 'layers', title: 'Layers' },
  { pkg: 'losses', dir: 'losses', title: 'Losses' },
  { pkg: 'optimizers', dir: 'optimizers', title: 'Optimizers' },
  { pkg: 'data', dir: 'data', title: 'Data' },
  { pkg: 'io', dir: 'io', title: 'IO (safetensors, .pth)' },
  { pkg: 'vision', dir: 'vision', title: 'Vision' },
  { pkg: 'backend-cpu', dir: 'backends', title: 'CPU backend & settings' },
];

/** The modules besides the umbrella: directory and sidebar title. */
const OTHER_MODULES = new Map([
  ['@tensorgrad/backend-webgpu', { dir: 'backend-webgpu', title: 'WebGPU backend' }],
  ['@tensorgrad/backend-tfjs', { dir: 'backend-tfjs', title: 'TF.js backend' }],
  ['@tensorgrad/tensor/backend', { dir: 'tensor-backend', title: 'Extension API (tensor/backend)' }],
  ['@tensorgrad/autodiff', { dir: 'autodiff-rules', title: 'Gradient rules (autodiff)' }],
  ['@tensorgrad/backend-cpu', { dir: 'backend-cpu', title: 'CPU kernels (backend-cpu)' }],
]);

const KIND_TITLES = [
  [ReflectionKind.Class, 'Classes'],
  [ReflectionKind.Function, 'Functions'],
  [ReflectionKind.Variable, 'Variables'],
  [ReflectionKind.Interface, 'Interfaces'],
  [ReflectionKind.TypeAlias, 'Type aliases'],
  [ReflectionKind.Enum, 'Enumerations'],
  [ReflectionKind.Namespace, 'Namespaces'],
];

const umbrellaOf = (reflection) => {
  let r = reflection;
  while (r && !r.kindOf(ReflectionKind.Module)) r = r.parent;
  return r?.name === 'tensorgrad' ? r : undefined;
};

/** The topic of a direct child of the umbrella module, from its declaration's file path. */
function topicOf(reflection) {
  const file = reflection.sources?.[0]?.fullFileName ?? '';
  const match = /packages[\\/]([^\\/]+)[\\/]src[\\/]/.exec(file);
  const topic = TOPICS.find((t) => t.pkg === match?.[1]);
  return topic ?? TOPICS[0];
}

/** MemberRouter (a page per export) with the umbrella's exports under their topic's directory. */
class TopicRouter extends MemberRouter {
  getIdealBaseName(reflection) {
    const parent = reflection.parent;
    if (reflection.kindOf(ReflectionKind.Module)) {
      const other = OTHER_MODULES.get(reflection.name);
      return `${other ? other.dir : 'tensorgrad'}/index`;
    }
    if (parent?.kindOf(ReflectionKind.Module)) {
      const base = parent.name === 'tensorgrad' ? topicOf(reflection).dir : OTHER_MODULES.get(parent.name)?.dir;
      const kindDir = this.directories.get(reflection.kind);
      if (base && kindDir) {
        const file = reflection.kindOf(ReflectionKind.Namespace) ? `${this.getReflectionAlias(reflection)}/index` : this.getReflectionAlias(reflection);
        return `${base}/${kindDir}/${file}`;
      }
    }
    return super.getIdealBaseName(reflection);
  }
}

/** First sentence of a reflection's summary, as plain Markdown for a table cell. */
function summaryOf(reflection) {
  const comment = reflection.comment ?? reflection.signatures?.[0]?.comment ?? reflection.getSignature?.comment;
  if (!comment) return '';
  const text = Comment.combineDisplayParts(comment.summary)
    .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)(?:[\s|]+([^}]*))?\}/g, (_m, target, label) => `\`${label || target}\``)
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = /^(.*?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.replace(/\|/g, '\\|');
}

const link = (url) => `/api/${url.replace(/\.md$/, '').replace(/\/index$/, '/')}`;

/** Sidebar items for a set of reflections, one collapsible section per kind. */
function kindSections(router, reflections, collapsed) {
  const sections = [];
  for (const [kind, title] of KIND_TITLES) {
    const items = reflections
      .filter((r) => r.kindOf(kind) && router.hasOwnDocument(r))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => ({ text: r.name, link: link(router.getFullUrl(r)) }));
    if (items.length) sections.push({ text: `${title} (${items.length})`, collapsed: collapsed || items.length > 12, items });
  }
  return sections;
}

function indexPage(router, title, intro, reflections, fromUrl) {
  const lines = [`# ${title}`, '', intro, ''];
  for (const [kind, kindTitle] of KIND_TITLES) {
    const list = reflections.filter((r) => r.kindOf(kind) && router.hasOwnDocument(r)).sort((a, b) => a.name.localeCompare(b.name));
    if (!list.length) continue;
    lines.push(`## ${kindTitle}`, '', '| Name | Summary |', '| --- | --- |');
    for (const r of list) {
      const rel = relative(fromUrl, router.getFullUrl(r)).split(sep).join('/');
      lines.push(`| [${r.name}](${rel}) | ${summaryOf(r)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.defineRouter('tg-topic', TopicRouter);

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const source = mod.sources?.[0]?.fullFileName ?? mod.name;
      const named = MODULE_NAMES.find(([pattern]) => pattern.test(source) || pattern.test(mod.name));
      if (named) mod.name = named[1];
    }
  });

  // at render time: the sources (file paths) are known by then
  app.renderer.on(RendererEvent.BEGIN, (context) => {
    const dropExamples = (reflection, codeToo) => {
      if (!reflection?.comment) return;
      reflection.comment.blockTags = reflection.comment.blockTags.filter((tag) => tag.tag !== '@example');
      if (codeToo) reflection.comment.summary = reflection.comment.summary.filter((part) => !(part.kind === 'code' && part.text.startsWith('```')));
    };
    // members documented by the platform's own typings (Error.captureStackTrace from @types/node)
    // carry code blocks written for Node, not for this library: they go too
    const external = (reflection) => /[\\/]node_modules[\\/]/.test(reflection.sources?.[0]?.fullFileName ?? '');
    for (const reflection of Object.values(context.project.reflections)) {
      const foreign = external(reflection) || (reflection.signatures ?? []).some(external);
      if (!reflection.inheritedFrom && !foreign) continue;
      for (const r of [reflection, ...(reflection.signatures ?? []), reflection.getSignature, reflection.setSignature]) dropExamples(r, foreign);
    }
  });

  // a callable class's call signatures show the class comment again, example included: keep each
  // example once per page (with its "Example" heading), where it first appears
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    if (!page.contents) return;
    const seen = new Set();
    page.contents = page.contents.replace(/(#{2,6} Examples?\n\n)?(```(?:ts|typescript|js)[^\n]*\n[\s\S]*?\n```\n)/g, (whole, _heading, block) => {
      if (!seen.has(block)) {
        seen.add(block);
        return whole;
      }
      return '';
    });
  });

  // typedoc-plugin-markdown writes a member's anchor with its name as is (`property-roi_heads`) but
  // links to it slugified (`#property-roi-heads`): give such anchors the slugified id as well, so
  // links to members named in snake_case (torchvision's attribute names) land
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    if (!page.contents) return;
    page.contents = page.contents.replace(/<a id="([^"]*_[^"]*)"><\/a>/g, (whole, id) => `${whole}<a id="${id.replace(/_/g, '-')}"></a>`);
  });

  app.renderer.on(RendererEvent.END, (event) => {
    const router = app.renderer.router;
    const out = event.outputDirectory;
    const project = event.project;
    const modules = project.getChildrenByKind(ReflectionKind.Module);
    const umbrella = modules.find((m) => m.name === 'tensorgrad');
    if (!umbrella) throw new Error(`site-plugin: expected a module named 'tensorgrad', got ${modules.map((m) => m.name).join(', ')}; check MODULE_NAMES`);

    const overview = [
      { text: 'Overview', link: '/api/' },
      ...TOPICS.map((t) => ({ text: t.title, link: `/api/${t.dir}/` })),
      ...[...OTHER_MODULES.values()].map((m) => ({ text: m.title, link: `/api/${m.dir}/` })),
    ];
    const sidebar = {};
    const overviewSection = (collapsed) => ({ text: 'API reference', collapsed, items: overview });

    for (const topic of TOPICS) {
      const members = (umbrella.children ?? []).filter((r) => topicOf(r) === topic);
      sidebar[`/api/${topic.dir}/`] = [overviewSection(true), { text: topic.title, items: kindSections(router, members, false) }];
      mkdirSync(join(out, topic.dir), { recursive: true });
      const intro = `Exports of \`tensorgrad\` that come from \`@tensorgrad/${topic.pkg}\`: \`import { … } from 'tensorgrad'\`.`;
      writeFileSync(join(out, topic.dir, 'index.md'), indexPage(router, topic.title, intro, members, `${topic.dir}`));
    }
    for (const mod of modules) {
      const other = OTHER_MODULES.get(mod.name);
      if (!other) continue;
      sidebar[`/api/${other.dir}/`] = [overviewSection(true), { text: mod.name, items: [{ text: 'Overview', link: `/api/${other.dir}/` }, ...kindSections(router, mod.children ?? [], false)] }];
    }
    sidebar['/api/'] = [overviewSection(false)];
    const count = (list) => list.filter((r) => router.hasOwnDocument(r)).length;
    const rows = [
      ...TOPICS.map((t) => `| [${t.title}](./${t.dir}/) | \`tensorgrad\` | ${count((umbrella.children ?? []).filter((r) => topicOf(r) === t))} |`),
      ...[...OTHER_MODULES].flatMap(([name, { dir, title }]) => {
        const mod = modules.find((m) => m.name === name);
        return mod ? [`| [${title}](./${dir}/) | \`${name}\` | ${count(mod.children ?? [])} |`] : [];
      }),
    ];
    writeFileSync(
      join(out, 'index.md'),
      [
        '# API reference',
        '',
        'Everything a program imports from `tensorgrad` (tensors, autodiff, layers, losses, optimizers, data, IO, vision and the CPU backend), grouped by the package it comes from, plus the packages the umbrella does not re-export: the WebGPU and TF.js backends and the extension API for backend authors. Each export has its own page; its examples have Run and Edit buttons and run in your browser on the backend picked in the top bar.',
        '',
        '| Topic | Import from | Exports |',
        '| --- | --- | --- |',
        ...rows,
        '',
        'All of `tensorgrad` on one page: [the tensorgrad module](./tensorgrad/).',
        '',
      ].join('\n'),
    );
    writeFileSync(join(out, 'api-sidebar.json'), JSON.stringify(sidebar));
  });
}

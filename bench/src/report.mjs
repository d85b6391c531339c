// Tables of the suite's results: one per case group, as Markdown (results/*.md) and as aligned
// plain text (the console).
import { GROUPS } from './cases.mjs';

const BASE = 'tensorgrad';

/** Milliseconds, in ms below 10 s and in s above (epochs). */
export function fmtMs(ms) {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(ms >= 100_000 ? 0 : 1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function fmtRange(r) {
  if (r.runs === 1 || r.minMs === r.maxMs) return '';
  const unit = r.medianMs >= 10_000 ? 1000 : 1;
  const d = unit === 1000 ? 1 : r.medianMs >= 100 ? 0 : r.medianMs >= 10 ? 1 : 2;
  return ` (${(r.minMs / unit).toFixed(d)}–${(r.maxMs / unit).toFixed(d)})`;
}

/** A result cell: "median (min–max)", with markers for single runs and estimates, or the reason there is none. */
export function cell(r) {
  if (!r) return '—';
  if (!r.ok) return r.message;
  const mark = r.estimated ? ' est.' : r.single ? ' (1 run)' : '';
  return `${r.estimated ? '≈' : ''}${fmtMs(r.medianMs)}${r.estimated ? '' : fmtRange(r)}${mark}`;
}

/** Peer time / tensorgrad time: above 1 means tensorgrad is faster. */
export function ratio(peer, base) {
  if (!peer?.ok || !base?.ok) return null;
  return peer.medianMs / base.medianMs;
}

function fmtRatio(x) {
  if (x === null) return '—';
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

function gflops(r, flop) {
  if (!r?.ok || r.estimated) return '—';
  const g = flop / (r.medianMs * 1e6);
  return g >= 10 ? g.toFixed(1) : g.toFixed(2);
}

/** The rows of each group's table: header + one row per case. */
export function groupTables(cases, libraries) {
  const peers = libraries.filter((l) => l.id !== BASE && !l.variantOf);
  // variants of tensorgrad (more threads): their speed-up over the base, base time / variant time
  const variants = libraries.filter((l) => l.variantOf === BASE);
  const tables = [];
  for (const group of GROUPS) {
    const inGroup = cases.filter((k) => k.group === group.id);
    if (!inGroup.length) continue;
    const header = [
      'case',
      ...libraries.map((l) => l.title),
      ...peers.map((l) => `${l.title} / tensorgrad`),
      ...variants.map((l) => `tensorgrad / ${l.title}`),
    ];
    const rows = inGroup.map((k) => [
      k.label,
      ...libraries.map((l) => cell(k.results[l.id])),
      ...peers.map((l) => fmtRatio(ratio(k.results[l.id], k.results[BASE]))),
      ...variants.map((l) => fmtRatio(ratio(k.results[BASE], k.results[l.id]))),
    ]);
    tables.push({ group, header, rows });
    const withFlop = inGroup.filter((k) => k.flop);
    if (withFlop.length) {
      tables.push({
        group: { id: `${group.id}-gflops`, title: `${group.title}: GFLOP/s at the median` },
        header: ['case', ...libraries.map((l) => l.title)],
        rows: withFlop.map((k) => [k.label, ...libraries.map((l) => gflops(k.results[l.id], k.flop))]),
      });
    }
  }
  return tables;
}

const escape = (s) => String(s).replaceAll('|', '\\|');

export function markdownTable({ header, rows }) {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((r) => `| ${r.map(escape).join(' | ')} |`).join('\n');
}

/** Aligned plain text; long cells (error messages) wrap to their own lines below the table. */
export function textTable({ header, rows }, maxCell = 34) {
  const notes = [];
  const cut = rows.map((r) =>
    r.map((c, i) => {
      if (i === 0 || c.length <= maxCell) return c;
      notes.push(`  [${notes.length + 1}] ${r[0]}, ${header[i]}: ${c}`);
      return `see [${notes.length}]`;
    }),
  );
  const width = header.map((h, i) => Math.max(h.length, ...cut.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...cut.map(line), ...notes].join('\n');
}

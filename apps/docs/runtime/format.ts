// Prints what an example logs or promises the way a reader expects from Node and PyTorch: strings
// bare at the top of console.log and quoted inside structures, arrays compactly on one line, typed
// arrays with their type, tensors with the library's own formatter (`tensor([1., 2.])`). Values
// that are float32 numbers print with the shortest digits that identify the float32 (0.1, not
// 0.10000000149011612), since every tensor read-out is float32.
//
// Tensors on a backend without synchronous reads (webgpu) need an asynchronous read-back, so
// formatting has two steps: `readTensors` starts the reads while the tensors are alive (before the
// run's scope frees them), and the synchronous `inspect` then uses what they returned.
import type { Tensor, TypedArray } from '@tensorgrad/tensor';

/** The library functions the formatter needs; the run passes the bundled `@tensorgrad/tensor`. */
export interface FormatLibrary {
  formatTensor(values: TypedArray, shape: readonly number[], dtype: Tensor['dtype'], extra?: readonly string[]): string;
}

/** Rendered tensors by identity, filled by {@link readTensors}. */
export type TensorTexts = Map<Tensor, string>;

const MAX_ITEMS = 100;
const MAX_DEPTH = 3;
const WIDTH = 80;

/** A tensor of the bundled library, recognised without importing its class (the worker's copy). */
export function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && (v as { _isTensor?: unknown })._isTensor === true;
}

/** Every tensor reachable from `values` through arrays, plain objects, Maps and Sets (depth-limited). */
function tensorsIn(values: readonly unknown[]): Tensor[] {
  const out = new Set<Tensor>();
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null || seen.has(v) || depth > MAX_DEPTH) return;
    seen.add(v);
    if (isTensor(v)) {
      out.add(v);
      return;
    }
    if (Array.isArray(v)) v.slice(0, MAX_ITEMS).forEach((x) => walk(x, depth + 1));
    else if (v instanceof Map || v instanceof Set) [...v.values()].slice(0, MAX_ITEMS).forEach((x) => walk(x, depth + 1));
    else if (!ArrayBuffer.isView(v)) Object.values(v).slice(0, MAX_ITEMS).forEach((x) => walk(x, depth + 1));
  };
  values.forEach((v) => walk(v, 0));
  return [...out];
}

// The suffix PyTorch prints after the values; mirrors Tensor.toString().
function tensorSuffix(t: Tensor): string[] {
  const extra: string[] = [];
  if (t.backend !== 'cpu') extra.push(`device='${t.backend}'`);
  if (t.gradFn) extra.push(`grad_fn=<${t.gradFn.displayName}>`);
  else if (t.requiresGrad) extra.push('requires_grad=True');
  return extra;
}

/**
 * Renders every tensor in `values`: synchronously where the backend reads synchronously (so a
 * tensor logged and then disposed still prints), else by starting an asynchronous read now. The
 * returned promise settles once all reads are done; await it before the tensors are freed.
 */
export function readTensors(values: readonly unknown[], lib: FormatLibrary, into: TensorTexts): Promise<void> {
  const reads: Promise<void>[] = [];
  for (const t of tensorsIn(values)) {
    if (into.has(t)) continue;
    if (t.isDisposed) {
      into.set(t, String(t));
      continue;
    }
    const show = (data: TypedArray): void => void into.set(t, lib.formatTensor(data, t.shape, t.dtype, tensorSuffix(t)));
    const fail = (e: unknown): void => void into.set(t, `tensor(<unreadable: ${e instanceof Error ? e.message : String(e)}>, shape=[${t.shape.join(', ')}])`);
    try {
      if (t.backendInstance.readSync) show(t.dataSync());
      else reads.push(t.data().then(show, fail));
    } catch (e) {
      fail(e);
    }
  }
  return Promise.all(reads).then(() => undefined);
}

/** The shortest decimal that reads back as the same float32, or JavaScript's own digits. */
export function formatNumber(x: number): string {
  if (Object.is(x, -0)) return '-0';
  if (!Number.isFinite(x) || Number.isInteger(x) || Math.fround(x) !== x) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

// Node's grouping of a long array's short items into aligned columns (util.inspect's
// groupArrayElements), so that 100 numbers take a dozen lines rather than a hundred; numbers are
// right-aligned. `more` is the trailing "... n more items" entry, kept on its own line.
function groupItems(items: string[], numeric: boolean, indent: string): string[] {
  const more = items.length && items[items.length - 1]!.startsWith('... ') ? items[items.length - 1] : undefined;
  const data = more === undefined ? items : items.slice(0, -1);
  if (data.length <= 6 || data.some((i) => i.includes('\n'))) return items;
  const separatorSpace = 2;
  const lengths = data.map((i) => i.length);
  const totalLength = lengths.reduce((a, n) => a + n + separatorSpace, 0);
  const maxLength = Math.max(...lengths);
  const actualMax = maxLength + separatorSpace;
  if (!(actualMax * 3 + indent.length < WIDTH && (totalLength / actualMax > 5 || maxLength <= 6))) return items;
  const averageBias = Math.sqrt(actualMax - totalLength / items.length);
  const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
  const columns = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * data.length) / biasedMax), Math.floor((WIDTH - indent.length) / actualMax), 12, 15);
  if (columns <= 1) return items;
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    let w = 0;
    for (let j = c; j < data.length; j += columns) w = Math.max(w, lengths[j]!);
    widths.push(w + separatorSpace);
  }
  const rows: string[] = [];
  for (let i = 0; i < data.length; i += columns) {
    const end = Math.min(i + columns, data.length);
    let row = '';
    for (let j = i; j < end - 1; j++) row += numeric ? `${data[j]}, `.padStart(widths[j - i]!) : `${data[j]}, `.padEnd(widths[j - i]!);
    row += numeric ? data[end - 1]!.padStart(widths[end - 1 - i]! - separatorSpace) : data[end - 1]!;
    rows.push(row);
  }
  if (more !== undefined) rows.push(more);
  return rows;
}

function join(open: string, items: string[], close: string, indent: string, group?: { numeric: boolean }): string {
  const flat = `${open}${items.join(', ')}${close}`;
  if (flat.length + indent.length <= WIDTH && !flat.includes('\n')) return flat;
  const pad = `${indent}  `;
  const lines = group ? groupItems(items, group.numeric, indent) : items;
  return `${open.trimEnd()}\n${lines.map((i) => pad + i).join(',\n')}\n${indent}${close.trimStart()}`;
}

// Node's hook for how an object prints (`[Symbol.for('nodejs.util.inspect.custom')]`), which the
// library's modules and data classes define; null when the object has none or it fails.
function customInspect(o: object): string | null {
  const hook = (o as Record<symbol, unknown>)[Symbol.for('nodejs.util.inspect.custom')];
  if (typeof hook !== 'function') return null;
  try {
    const out: unknown = hook.call(o, MAX_DEPTH, {}, undefined);
    return typeof out === 'string' ? out : null;
  } catch {
    return null;
  }
}

/**
 * `value` as Node's `util.inspect` would print it (compactly), tensors from `tensors` (see
 * {@link readTensors}); a tensor not in it prints through its own `toString()`.
 */
export function inspect(value: unknown, tensors: TensorTexts = new Map()): string {
  const seen: unknown[] = [];
  const show = (v: unknown, depth: number, indent: string): string => {
    switch (typeof v) {
      case 'string':
        return quote(v);
      case 'number':
        return formatNumber(v);
      case 'bigint':
        return `${v}n`;
      case 'boolean':
      case 'undefined':
        return String(v);
      case 'symbol':
        return v.toString();
      case 'function': {
        // modules are callable objects: they print their summary, as in Node
        const custom = customInspect(v);
        if (custom !== null) return custom;
        return v.name ? `[${/^class\b/.test(Function.prototype.toString.call(v)) ? 'class' : 'Function'}: ${v.name}]` : '[Function (anonymous)]';
      }
    }
    if (v === null) return 'null';
    const o = v as object;
    if (isTensor(o)) return (tensors.get(o) ?? String(o)).replace(/\n/g, `\n${indent}`);
    const custom = customInspect(o);
    if (custom !== null) return custom;
    if (seen.includes(o)) return '[Circular]';
    if (o instanceof Error) return o.stack && !o.stack.startsWith('    at') ? `${o.name}: ${o.message}` : String(o);
    if (o instanceof Date) return o.toISOString();
    if (o instanceof RegExp) return String(o);
    if (o instanceof Promise) return 'Promise { … }';
    if (depth > MAX_DEPTH) return Array.isArray(o) ? '[Array]' : '[Object]';
    seen.push(o);
    try {
      const inner = `${indent}  `;
      const items = (vs: Iterable<unknown>, total: number): string[] => {
        const out: string[] = [];
        for (const x of vs) {
          if (out.length === MAX_ITEMS) break;
          out.push(show(x, depth + 1, inner));
        }
        if (total > MAX_ITEMS) out.push(`... ${total - MAX_ITEMS} more item${total - MAX_ITEMS > 1 ? 's' : ''}`);
        return out;
      };
      const numeric = (xs: ArrayLike<unknown>): boolean => Array.prototype.slice.call(xs, 0, MAX_ITEMS).every((x) => typeof x === 'number' || typeof x === 'bigint');
      if (Array.isArray(o)) return o.length ? join('[', items(o, o.length), ']', indent, { numeric: numeric(o) }) : '[]';
      if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
        const arr = o as unknown as ArrayLike<number | bigint> & { length: number };
        return `${o.constructor.name}(${arr.length}) ${arr.length ? join('[ ', items(Array.from({ length: Math.min(arr.length, MAX_ITEMS) }, (_, i) => arr[i]), arr.length), ' ]', indent, { numeric: true }) : '[]'}`;
      }
      if (o instanceof Map) {
        const entries = [...o].slice(0, MAX_ITEMS).map(([k, x]) => `${show(k, depth + 1, inner)} => ${show(x, depth + 1, inner)}`);
        return `Map(${o.size}) ${o.size ? join('{ ', entries, ' }', indent) : '{}'}`;
      }
      if (o instanceof Set) return `Set(${o.size}) ${o.size ? join('{ ', items(o, o.size), ' }', indent) : '{}'}`;
      const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
      const name = proto === null ? '[Object: null prototype]' : proto === Object.prototype ? '' : (proto.constructor?.name ?? '');
      const keys = Object.keys(o);
      const fields = keys.slice(0, MAX_ITEMS).map((k) => {
        const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
        return `${key}: ${show((o as Record<string, unknown>)[k], depth + 1, inner)}`;
      });
      if (keys.length > MAX_ITEMS) fields.push(`... ${keys.length - MAX_ITEMS} more properties`);
      const body = fields.length ? join('{ ', fields, ' }', indent) : '{}';
      return name ? `${name} ${body}` : body;
    } finally {
      seen.pop();
    }
  };
  return show(value, 0, '');
}

/**
 * One console line from console.log's arguments, as Node prints them: strings bare, the rest
 * inspected, separated by spaces; `%s %d %i %f %o %O %j %%` in a leading format string.
 */
export function formatLogArgs(args: readonly unknown[], tensors: TensorTexts = new Map()): string {
  const rest = [...args];
  let head = '';
  if (typeof rest[0] === 'string' && rest.length > 1 && /%[sdifoOjc%]/.test(rest[0])) {
    const fmt = rest.shift() as string;
    head = fmt.replace(/%([sdifoOjc%])/g, (all, c: string) => {
      if (c === '%') return '%';
      if (!rest.length) return all;
      const a = rest.shift();
      switch (c) {
        case 's':
          return typeof a === 'string' ? a : inspect(a, tensors);
        case 'd':
        case 'i': {
          const n = Number(a);
          return c === 'i' ? String(Math.trunc(n)) : formatNumber(n);
        }
        case 'f':
          return formatNumber(Number(a));
        case 'j':
          return JSON.stringify(a);
        case 'c':
          return '';
        default:
          return inspect(a, tensors);
      }
    });
  }
  const parts = rest.map((a) => (typeof a === 'string' ? a : inspect(a, tensors)));
  return [head, ...parts].filter((p, i) => i > 0 || p !== '' || args.length === 0).join(' ');
}

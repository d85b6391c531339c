// Runtime of the generated doc-example tests (scripts/extract-doc-examples.mjs): checks a value
// against the literal written in its `// result` comment. Numbers are compared to one unit in the
// last digit the comment prints, because examples show rounded values (`// [0.0900, 0.2447]`).

/** Parses a JSON-like literal, keeping each number's printed precision. */
function parse(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '[') {
      i++;
      const items = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') {
            i++;
            return { kind: 'array', items };
          }
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', items };
        }
        throw new Error(`bad literal at ${i}: ${text}`);
      }
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const s = text.slice(i + 1, end);
      i = end + 1;
      return { kind: 'string', value: s };
    }
    const m = /^(true|false|null|[-+]?NaN|[-+]?Infinity|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)/i.exec(text.slice(i));
    if (!m) throw new Error(`bad literal at ${i}: ${text}`);
    i += m[0].length;
    const t = m[0];
    if (t === 'true' || t === 'false') return { kind: 'bool', value: t === 'true' };
    if (t === 'null') return { kind: 'null' };
    const v = Number(t.replace(/^\+/, ''));
    const mant = t.toLowerCase().split('e');
    const decimals = mant[0].includes('.') ? mant[0].split('.')[1].length : 0;
    const exp = mant[1] ? Number(mant[1]) : 0;
    return { kind: 'number', value: v, unit: Number.isFinite(v) ? 10 ** (exp - decimals) : 0, printedDecimals: decimals };
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error(`bad literal: ${text}`);
  return v;
}

function normalize(actual) {
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) return Array.from(actual, (x) => (typeof x === 'bigint' ? Number(x) : x));
  return actual;
}

function mismatch(actual, expected, path) {
  actual = normalize(actual);
  switch (expected.kind) {
    case 'array': {
      if (!Array.isArray(actual)) return `${path}: expected an array, got ${fmt(actual)}`;
      if (actual.length !== expected.items.length) return `${path}: expected length ${expected.items.length}, got ${actual.length} (${fmt(actual)})`;
      for (let k = 0; k < actual.length; k++) {
        const r = mismatch(actual[k], expected.items[k], `${path}[${k}]`);
        if (r) return r;
      }
      return null;
    }
    case 'string':
      return actual === expected.value ? null : `${path}: expected '${expected.value}', got ${fmt(actual)}`;
    case 'null':
      return actual === null || actual === undefined ? null : `${path}: expected null, got ${fmt(actual)}`;
    case 'bool':
      // bool tensors may read back as 0/1
      return actual === expected.value || actual === (expected.value ? 1 : 0) ? null : `${path}: expected ${expected.value}, got ${fmt(actual)}`;
    case 'number': {
      if (typeof actual === 'boolean') actual = actual ? 1 : 0;
      if (typeof actual === 'bigint') actual = Number(actual);
      if (typeof actual !== 'number') return `${path}: expected a number, got ${fmt(actual)}`;
      const e = expected.value;
      if (Number.isNaN(e)) return Number.isNaN(actual) ? null : `${path}: expected NaN, got ${actual}`;
      if (!Number.isFinite(e)) return actual === e ? null : `${path}: expected ${e}, got ${actual}`;
      // one unit in the last printed digit, and float32 round-off for values printed in full
      const tol = Math.max(expected.printedDecimals > 0 ? expected.unit : 0, 1e-5 * Math.abs(e) + 1e-6);
      return Math.abs(actual - e) <= tol ? null : `${path}: expected ${e} (±${tol}), got ${actual}`;
    }
    default:
      return `${path}: unknown literal`;
  }
}

// the value a comment did not match, short: a tensor (or a backend, a module) serialised whole
// would be megabytes of internals in a test failure or on the docs page
const FMT_MAX = 200;
function fmt(v) {
  if (typeof v === 'object' && v !== null && v._isTensor === true) {
    return `a Tensor (shape [${v.shape.join(', ')}], ${v.dtype}); the comment shows values: read them with await t.array() or await t.item()`;
  }
  if (v instanceof Promise) return 'a Promise (the line needs `await`)';
  let s;
  try {
    s = JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
  } catch {
    s = undefined;
  }
  if (s === undefined) s = String(v);
  return s.length > FMT_MAX ? `${s.slice(0, FMT_MAX)}… (${s.length} characters)` : s;
}

/**
 * Throws when `actual` does not match the literal `expectedText` of the example line `where`;
 * returns `actual`.
 * @param {unknown} actual
 * @param {string} expectedText
 * @param {string} where
 */
export function __docCheck(actual, expectedText, where) {
  const problem = mismatch(actual, parse(expectedText), 'value');
  if (problem) throw new Error(`doc example result differs from its comment\n  ${where}\n  ${problem}`);
  return actual;
}

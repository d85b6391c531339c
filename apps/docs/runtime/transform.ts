// Turns an example's TypeScript into the body of an async function the runner can call: sucrase
// strips the types and rewrites `import … from 'm'` into `require('m')` (which the runner maps to
// the bundled packages), keeping every line where it was, so an error's line is the example's
// line. Top-level `await` stays valid because the body runs inside an async function. A line that
// promises a value (`x.shape; // [2, 3]`, see scripts/doc-example-lines.mjs) is wrapped so that the
// runner sees the value: `__tgValue(<line>, x.shape);`.
import { transform } from 'sucrase';
import { loggedArgument, valueLines } from '../../../scripts/doc-example-lines.mjs';

/** The name of the function that receives promised values; an example is unlikely to use it. */
export const VALUE_HOOK = '__tgValue';

/** The transformed example and the 1-based lines whose value it reports. */
export interface TransformedExample {
  /** The body of an async function with the parameters `require, exports, module, console, __tgValue`. */
  js: string;
  /** The value-promising lines, 1-based, with the literal each one's comment promises. */
  promised: Map<number, string>;
}

/** An example that is not valid TypeScript; `line` is 1-based in the example. */
export class ExampleSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

/** Wraps each value-promising line in the value hook, one line for one line. */
export function instrumentValues(code: string): { code: string; promised: Map<number, string> } {
  const lines = code.split('\n');
  const promised = new Map<number, string>();
  for (const { index, indent, expr, literal } of valueLines(lines)) {
    // `console.log(x); // v` already shows x: it stays a plain log line
    if (loggedArgument(expr) !== null) continue;
    lines[index] = `${indent}${VALUE_HOOK}(${index + 1}, ${expr});`;
    promised.set(index + 1, literal);
  }
  return { code: lines.join('\n'), promised };
}

/** The example as the body of an async function; throws {@link ExampleSyntaxError} with its line. */
export function transformExample(code: string): TransformedExample {
  const instrumented = instrumentValues(code);
  let js: string;
  try {
    js = transform(instrumented.code, { transforms: ['typescript', 'imports'], disableESTransforms: true }).code;
  } catch (e) {
    const loc = (e as { loc?: { line?: number } }).loc;
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\(\d+:\d+\)$/, '');
    throw new ExampleSyntaxError(message, loc?.line);
  }
  return { js, promised: instrumented.promised };
}

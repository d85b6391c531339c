// Which lines of a doc example promise a value: `expr; // <literal>` where the comment is a
// JSON-like literal (`// [1, 2]`, `// 10`, `// true`, `// 'float32'`). Shared by the generated
// doc-example tests (scripts/extract-doc-examples.mjs turns such lines into assertions) and the
// documentation site's in-page runner (apps/docs/runtime shows the value next to the example), so
// both read the same lines the same way.

// a number must take its whole run of digits ((?![\d.])): otherwise `\d+\.?\d*` inside `(…)+` can
// split a digit run in exponentially many ways and a near-literal comment hangs the extraction
const literalRe = /^(?:[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?(?![\d.])|NaN|Infinity)|true|false|null|'[^'\\]*'|"[^"\\]*"|[\[\],\s])+$/i;

/** Whether `s` is a JSON-like literal with balanced brackets. */
export function isLiteral(s) {
  if (!literalRe.test(s)) return false;
  let depth = 0;
  for (const c of s.replace(/'[^']*'|"[^"]*"/g, '')) {
    if (c === '[') depth++;
    else if (c === ']' && --depth < 0) return false;
  }
  return depth === 0 && /\S/.test(s);
}

/** Whether the brackets of `code` balance, strings aside. */
export function balanced(code) {
  let depth = 0;
  const stripped = code.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
  for (const c of stripped) {
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
  }
  return depth === 0;
}

/**
 * The lines of `lines` that are an expression statement followed by a literal comment, as
 * `{ index, indent, expr, literal }` (`index` 0-based). A line continuing an unfinished statement,
 * a declaration, an assignment or a control statement does not count.
 * @param {readonly string[]} lines
 * @returns {{ index: number; indent: string; expr: string; literal: string }[]}
 */
export function valueLines(lines) {
  const out = [];
  let prevEnds = true; // does the previous code line end a statement?
  lines.forEach((line, index) => {
    const m = line.match(/^(\s*)(.*?);\s*\/\/\s*(.+?)\s*$/);
    if (m && prevEnds && isLiteral(m[3])) {
      const expr = m[2].trim();
      const isStatement = /^(?:(?:const|let|var|using|await\s+using|import|export|return|if|for|while|do|throw|try|switch|class|function|async\s+function)\b|[})\].])/.test(expr);
      const isAssignment = /^[A-Za-z_$][\w$.[\]'"]*\s*(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=(?!=)/.test(expr);
      if (expr && !isStatement && !isAssignment && balanced(expr)) out.push({ index, indent: m[1], expr, literal: m[3] });
    }
    const code = line.replace(/\/\/.*$/, '').trim();
    if (code) prevEnds = /[;{}]$/.test(code);
  });
  return out;
}

/**
 * `console.log(x)` → `x` when the call logs exactly one argument, else null: such a line checks
 * (and shows) the logged value.
 * @param {string} expr
 * @returns {string | null}
 */
export function loggedArgument(expr) {
  const logged = expr.match(/^console\.log\(([\s\S]*)\)$/);
  return logged && balanced(logged[1]) && !/,\s*(?![^()[\]{}]*[)\]}])/.test(logged[1]) ? logged[1] : null;
}

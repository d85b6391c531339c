// A strict XML well-formedness checker for the SVG tests (no XML parser is a dependency here).
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict XML well-formedness check (the subset SVG files use): one XML declaration, one root,
 * every tag closed in order, attributes quoted and unique, only the five predefined entities or
 * character references, no raw `<` or `&` in text. Returns the element tree.
 */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`not well-formed at ${i}: ${msg}: ${JSON.stringify(src.slice(Math.max(0, i - 30), i + 30))}`);
  };
  const checkText = (t: string): string => {
    if (t.includes('<')) fail('raw < in text');
    return t.replace(/&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|&/g, (m, ref: string | undefined) => {
      if (!ref) fail('raw & in text');
      if (ref!.startsWith('#')) return '?';
      const map: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (!(ref! in map)) fail(`unknown entity &${ref};`);
      return map[ref!]!;
    });
  };
  const name = /^[A-Za-z_:][\w:.-]*/;
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    if (!/^<\?xml version="1\.0"( encoding="UTF-8")?\?>$/.test(src.slice(0, end + 2))) fail('bad XML declaration');
    i = end + 2;
  }
  const skipWs = (): void => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected <');
    i++;
    const m = name.exec(src.slice(i));
    if (!m) fail('expected a tag name');
    const el: XmlElement = { name: m![0], attrs: {}, children: [], text: '' };
    i += m![0].length;
    for (;;) {
      const before = i;
      skipWs();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const a = name.exec(src.slice(i));
      if (!a) fail('expected an attribute name');
      i += a![0].length;
      if (src[i] !== '=') fail('expected = after the attribute name');
      i++;
      const q = src[i];
      if (q !== '"' && q !== "'") fail('attribute value not quoted');
      const end = src.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (a![0] in el.attrs) fail(`duplicate attribute ${a![0]}`);
      el.attrs[a![0]] = checkText(src.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${el.name}>`);
      el.text += checkText(src.slice(i, lt));
      i = lt;
      if (src.startsWith('</', i)) {
        i += 2;
        const m2 = name.exec(src.slice(i));
        if (!m2 || m2[0] !== el.name) fail(`</${m2?.[0]}> closes <${el.name}>`);
        i += m2![0].length;
        skipWs();
        if (src[i] !== '>') fail('expected >');
        i++;
        return el;
      }
      el.children.push(element());
    }
  };
  skipWs();
  const root = element();
  skipWs();
  if (i !== src.length) fail('content after the root element');
  return root;
}

export function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

// A small XML reader for the IR's .xml: well-formed XML 1.0 as elements with attributes and text,
// nothing else kept. What an IR holds is simple (elements, attributes, a number as the text of
// <dim>), so this one pass over the text replaces a general parser and its validator (they took
// ten times longer to read RMNet's 150 KB). It refuses, with line and column: tags that do not
// match or are left open, attributes written twice or unquoted, '<' or an unknown entity in a value,
// text or a second element outside the root, and nesting deeper than `maxDepth`. A DOCTYPE is
// refused (no entity can be declared, so none can expand); comments, processing instructions and
// CDATA are read as XML reads them.

export interface XmlElement {
  name: string;
  /** Attribute values with entities decoded (a prototype-free record: any name is a plain key). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), entities decoded, around its children. */
  text: string;
}

/** Malformed XML: `offset` is where in the text the problem is. */
export class XmlSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Elements nested deeper than the caller allows. */
export class XmlDepthError extends Error {}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
/** A name's first character: A-Z a-z _ : (XML allows more; an IR uses these). */
const isNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
/** …and its others: also 0-9 . - */
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Line and column (both from 1) of an offset in the text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1, start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Parses `text` into its root element. */
export function parseXml(text: string, maxDepth: number): XmlElement {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const open: XmlElement[] = [];
  const opened: number[] = [];
  let root: XmlElement | undefined;
  const fail = (message: string, where = at): never => {
    throw new XmlSyntaxError(message, where);
  };

  const skipSpace = () => {
    while (isSpace(text.charCodeAt(at))) at++;
  };
  const name = (what: string): string => {
    const start = at;
    if (!isNameStart(text.charCodeAt(at))) fail(`${what} expected`);
    while (isNameChar(text.charCodeAt(++at)));
    return text.slice(start, at);
  };
  /** Text from `from` to `to` with its entity and character references replaced. */
  const decode = (from: number, to: number): string => {
    const raw = text.slice(from, to);
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&]*);?/g, (whole, ref: string, index: number) => {
      const where = from + index;
      if (!whole.endsWith(';')) fail(`'&' must start an entity like &amp;`, where);
      const code = /^#x[0-9a-f]+$/i.test(ref) ? parseInt(ref.slice(2), 16) : /^#\d+$/.test(ref) ? Number(ref.slice(1)) : undefined;
      if (code !== undefined) {
        if (code > 0x10ffff || code === 0) fail(`character reference &${ref}; is not a character`, where);
        return String.fromCodePoint(code);
      }
      return Object.hasOwn(ENTITIES, ref) ? ENTITIES[ref] : fail(`unknown entity &${ref};`, where);
    });
  };
  /** Skips a construct that opens with `start` and ends with `end` (a comment …): returns where its content starts. */
  const past = (start: string, end: string, what: string): number => {
    const content = at + start.length;
    const found = text.indexOf(end, content);
    if (found < 0) fail(`${what} is not closed with '${end}'`);
    at = found + end.length;
    return content;
  };
  const addText = (value: string, where: number) => {
    if (open.length > 0) open[open.length - 1].text += value;
    else if (value.trim() !== '') fail(root ? 'text after the root element' : 'Start tag expected.', where);
  };

  while (at < text.length) {
    const lt = text.indexOf('<', at);
    if (lt !== at) {
      const end = lt < 0 ? text.length : lt;
      addText(decode(at, end), at);
      at = end;
      continue;
    }
    if (text.startsWith('<!--', at)) {
      past('<!--', '-->', 'a comment');
    } else if (text.startsWith('<?', at)) {
      past('<?', '?>', 'a processing instruction');
    } else if (text.startsWith('<![CDATA[', at)) {
      const where = at;
      const content = past('<![CDATA[', ']]>', 'a CDATA section');
      addText(text.slice(content, at - 3), where);
    } else if (text.startsWith('<!', at)) {
      fail('a DOCTYPE or other declaration is not accepted in an IR');
    } else if (text.startsWith('</', at)) {
      const where = at;
      at += 2;
      const closing = name('a tag name');
      skipSpace();
      if (text[at] !== '>') fail(`'>' expected after </${closing}`);
      at++;
      const element = open.pop();
      if (!element) fail(`closing tag '${closing}' has no opening tag`, where);
      if (element!.name !== closing) fail(`expected the closing tag of '${element!.name}', found '${closing}'`, where);
      opened.pop();
    } else {
      const where = at;
      at++;
      if (root && open.length === 0) fail('a second root element', where);
      const element: XmlElement = { name: name('a tag name'), attrs: Object.create(null) as Record<string, string>, children: [], text: '' };
      for (;;) {
        const before = at;
        skipSpace();
        if (text[at] === '>' || text.startsWith('/>', at)) break;
        if (at === before) fail(at >= text.length ? `tag '${element.name}' is not closed` : `space or '>' expected in tag '${element.name}'`);
        const attribute = name('an attribute name');
        skipSpace();
        if (text[at] !== '=') fail(`'=' expected after attribute '${attribute}'`);
        at++;
        skipSpace();
        const quote = text[at];
        if (quote !== '"' && quote !== "'") fail(`attribute '${attribute}': the value must be quoted`);
        const start = ++at;
        const end = text.indexOf(quote, start);
        if (end < 0) fail(`attribute '${attribute}': the value is not closed`);
        const lessThan = text.indexOf('<', start);
        if (lessThan >= 0 && lessThan < end) fail(`attribute '${attribute}': '<' is not allowed in a value`, lessThan);
        if (Object.hasOwn(element.attrs, attribute)) fail(`attribute '${attribute}' is repeated`, start - attribute.length - 2);
        element.attrs[attribute] = decode(start, end);
        at = end + 1;
      }
      if (open.length >= maxDepth) throw new XmlDepthError(`elements nest more than ${maxDepth} levels deep`);
      if (open.length > 0) open[open.length - 1].children.push(element);
      else root = element;
      if (text[at] === '/') {
        at += 2;
      } else {
        at++;
        open.push(element);
        opened.push(where);
      }
    }
  }
  if (open.length > 0) fail(`tag '${open[open.length - 1].name}' is not closed`, opened[opened.length - 1]);
  return root ?? fail('Start tag expected.', 0);
}

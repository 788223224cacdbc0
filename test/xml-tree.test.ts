// The IR's XML reader (importer/openvino/xml-tree.ts): what well-formed XML gives, and every
// malformation refused at its line and column.
import { describe, expect, it } from 'vitest';
import { lineColumn, parseXml, XmlDepthError, XmlSyntaxError, type XmlElement } from '../importer/openvino/xml-tree.js';

/** The element as plain data, for comparisons. */
const plain = (e: XmlElement): unknown => ({ name: e.name, attrs: { ...e.attrs }, text: e.text, children: e.children.map(plain) });

/** Where parsing `text` fails: "line:column message". */
function failure(text: string): string {
  try {
    parseXml(text, 8);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    const { line, column } = lineColumn(text, error.offset);
    return `${line}:${column} ${error.message}`;
  }
  throw new Error('no error');
}

describe('parseXml', () => {
  it('reads elements, attributes (either quote), text, entities, CDATA; skips the declaration, comments and processing instructions', () => {
    const text = '\ufeff<?xml version="1.0"?>\n<!-- c --><net a="1" b = \'x &amp; &lt;y&gt; &#65;&#x42;\'>\n' +
      '  <dim> 7 </dim><e/><e k="&quot;&apos;"/><?pi x?><t><![CDATA[<raw> & ]]></t>\n</net>\n<!-- after -->\n';
    expect(plain(parseXml(text, 8))).toEqual({
      name: 'net', attrs: { a: '1', b: "x & <y> AB" }, text: '\n  \n',
      children: [
        { name: 'dim', attrs: {}, text: ' 7 ', children: [] },
        { name: 'e', attrs: {}, text: '', children: [] },
        { name: 'e', attrs: { k: '"\'' }, text: '', children: [] },
        { name: 't', attrs: {}, text: '<raw> & ', children: [] },
      ],
    });
  });

  it('keeps any attribute name as a plain key', () => {
    const { attrs } = parseXml('<a __proto__="x" constructor="y"/>', 8);
    expect(Object.entries(attrs)).toEqual([['__proto__', 'x'], ['constructor', 'y']]);
    expect(Object.getPrototypeOf(attrs)).toBe(null);
  });

  it('refuses malformed XML at the line and column of the fault', () => {
    expect(failure('')).toBe('1:1 Start tag expected.');
    expect(failure('  text')).toBe('1:1 Start tag expected.');
    expect(failure('<a>\n  <b></c>\n</a>')).toBe("2:6 expected the closing tag of 'b', found 'c'");
    expect(failure('<a>\n<b>')).toBe("2:1 tag 'b' is not closed");
    expect(failure('<a></a><b/>')).toBe('1:8 a second root element');
    expect(failure('<a></a>x')).toBe('1:8 text after the root element');
    expect(failure('</a>')).toBe("1:1 closing tag 'a' has no opening tag");
    expect(failure('<a x=1/>')).toBe("1:6 attribute 'x': the value must be quoted");
    expect(failure('<a x="1" x="2"/>')).toBe("1:10 attribute 'x' is repeated");
    expect(failure('<a x="1"y="2"/>')).toBe("1:9 space or '>' expected in tag 'a'");
    expect(failure('<a x="<"/>')).toBe("1:7 attribute 'x': '<' is not allowed in a value");
    expect(failure('<a x="&bogus;"/>')).toBe('1:7 unknown entity &bogus;');
    expect(failure('<a>&#0;</a>')).toBe('1:4 character reference &#0; is not a character');
    expect(failure('<a>AT&T</a>')).toBe("1:6 '&' must start an entity like &amp;");
    expect(failure('<!DOCTYPE a [<!ENTITY x "y">]><a/>')).toBe('1:1 a DOCTYPE or other declaration is not accepted in an IR');
    expect(failure('<a><!-- open')).toBe("1:4 a comment is not closed with '-->'");
    expect(failure('<a x="1"')).toBe("1:9 tag 'a' is not closed");
    expect(failure('<1a/>')).toBe('1:2 a tag name expected');
  });

  it('stops at the nesting limit without recursion', () => {
    expect(() => parseXml('<a>'.repeat(9) + '</a>'.repeat(9), 8)).toThrow(XmlDepthError);
    expect(() => parseXml('<a>'.repeat(100_000), 8)).toThrow('elements nest more than 8 levels deep');
    expect(parseXml('<a>'.repeat(8) + '</a>'.repeat(8), 8).name).toBe('a');
  });
});

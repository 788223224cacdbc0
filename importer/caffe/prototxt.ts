// Protocol-buffer text format (what .prototxt files are), parsed into the message types of
// caffe.proto. Grammar: `name: value`, `name { ... }` or `name: { ... }`, `name: [v, v]` for
// repeated fields, `#` comments, optional `,` or `;` after a field. Values: numbers (with
// exponents, `inf`, `nan`, a leading `-`), true/false, enum names, quoted strings with C escapes
// (adjacent strings join). Errors give file:line:column, what was expected and what was found.

import protobuf from 'protobufjs';
import { ModelError } from '../../engine/graph/graph.js';
import { caffeType, type Message } from './proto.js';

interface Token {
  kind: 'identifier' | 'number' | 'string' | 'symbol' | 'end';
  /** The source text (for a string: its unescaped value). */
  text: string;
  line: number;
  column: number;
}

// One alternative per token kind; whitespace and comments (no group) are skipped.
const TOKEN = /\s+|#[^\n]*|([A-Za-z_]\w*)|((?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)[fF]?)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|([{}[\]:,;-])/y;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
const BOOLS: Record<string, boolean> = { true: true, True: true, t: true, 1: true, false: false, False: false, f: false, 0: false };
const SPECIAL_NUMBERS: Record<string, number> = { inf: Infinity, infinity: Infinity, nan: NaN };

const INTEGER_RANGE: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1], sint32: [-(2 ** 31), 2 ** 31 - 1], sfixed32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1], fixed32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], sint64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  sfixed64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER], fixed64: [0, Number.MAX_SAFE_INTEGER],
};

/** table[key], for the table's own keys only (a prototxt may well say `constructor`). */
function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Parses a prototxt into a caffe.NetParameter message. */
export function parsePrototxt(text: string, file: string): Message {
  return new Parser(tokenize(text, file), file).message(caffeType('NetParameter'), 'end');
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const column = start - lineStart + 1;
    const m = TOKEN.exec(text);
    if (!m) {
      const what = text[start] === '"' || text[start] === "'" ? 'unterminated string' : `unexpected character '${text[start]}'`;
      throw new ModelError(`${file}:${line}:${column}: ${what}`);
    }
    const [all, identifier, number, string, symbol] = m;
    if (identifier !== undefined) tokens.push({ kind: 'identifier', text: identifier, line, column });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number, line, column });
    else if (string !== undefined) tokens.push({ kind: 'string', text: unescape(string, file, line, column), line, column });
    else if (symbol !== undefined) tokens.push({ kind: 'symbol', text: symbol, line, column });
    for (let i = all.indexOf('\n'); i >= 0; i = all.indexOf('\n', i + 1)) {
      line++;
      lineStart = start + i + 1;
    }
  }
  tokens.push({ kind: 'end', text: '', line, column: text.length - lineStart + 1 });
  return tokens;
}

function unescape(quoted: string, file: string, line: number, column: number): string {
  return quoted.slice(1, -1).replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (/^x[0-9a-fA-F]/.test(e)) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const escaped = lookup(ESCAPES, e);
    if (escaped !== undefined) return escaped;
    throw new ModelError(`${file}:${line}:${column}: invalid escape '\\${e}' in string`);
  });
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end': return 'end of file';
    case 'string': return `string ${JSON.stringify(token.text)}`;
    case 'number': return `number ${token.text}`;
    default: return `'${token.text}'`;
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[], private readonly file: string) {}

  /** Fields up to `close` ('}' or the end of the file), which is consumed. */
  message(type: protobuf.Type, close: '}' | 'end'): Message {
    const message: Message = {};
    while (!this.accept(close)) {
      const nameToken = this.next();
      if (nameToken.kind !== 'identifier') {
        this.fail(nameToken, `expected a field of ${type.fullName.slice(1)} or ${close === 'end' ? 'end of file' : "'}'"}, found ${describe(nameToken)}`);
      }
      const field = lookup(type.fields, nameToken.text)?.resolve();
      if (!field) this.fail(nameToken, `unknown field '${nameToken.text}' in ${type.fullName.slice(1)}`);
      const values = this.values(field, nameToken);
      if (field.repeated) {
        const list = (message[field.name] ??= []) as unknown[];
        for (const value of values) list.push(value);
      } else {
        if (message[field.name] !== undefined) this.fail(nameToken, `field '${field.name}' is set twice`);
        message[field.name] = values[0];
      }
      if (!this.accept(',')) this.accept(';');
    }
    return message;
  }

  /** What follows a field name: `: value`, `: [value, …]`, or for a message also `{ … }` without the colon. */
  private values(field: protobuf.Field, at: Token): unknown[] {
    if (!this.accept(':') && !(field.resolvedType instanceof protobuf.Type)) {
      this.fail(this.peek(), `expected ':' after '${field.name}', found ${describe(this.peek())}`);
    }
    if (!this.accept('[')) return [this.value(field)];
    if (!field.repeated) this.fail(at, `field '${field.name}' is not repeated: a list is not allowed`);
    const values: unknown[] = [];
    if (this.accept(']')) return values;
    do values.push(this.value(field)); while (this.accept(','));
    this.expect(']');
    return values;
  }

  private value(field: protobuf.Field): unknown {
    const type = field.resolvedType;
    if (type instanceof protobuf.Type) {
      this.expect('{');
      return this.message(type, '}');
    }
    const token = this.peek();
    if (type instanceof protobuf.Enum) {
      this.next();
      const name = token.kind === 'number' ? type.valuesById[Number(token.text)] : token.text;
      if ((token.kind !== 'identifier' && token.kind !== 'number') || lookup(type.values, name) === undefined) {
        this.fail(token, `expected a value of ${type.fullName.slice(1)} (${Object.keys(type.values).join(', ')}) for '${field.name}', found ${describe(token)}`);
      }
      return name;
    }
    switch (field.type) {
      case 'string': {
        if (token.kind !== 'string') this.fail(token, `expected a string for '${field.name}', found ${describe(token)}`);
        let text = '';
        while (this.peek().kind === 'string') text += this.next().text;
        return text;
      }
      case 'bool': {
        this.next();
        const value = lookup(BOOLS, token.text);
        if (value === undefined || token.kind === 'string') this.fail(token, `expected true or false for '${field.name}', found ${describe(token)}`);
        return value;
      }
      case 'float': case 'double': {
        const value = this.number(field);
        return field.type === 'float' ? Math.fround(value) : value;
      }
      default: {
        const start = this.peek();
        const value = this.number(field);
        const [min, max] = INTEGER_RANGE[field.type];
        if (!Number.isInteger(value) || value < min || value > max) {
          this.fail(start, `expected an integer in [${min}, ${max}] (${field.type}) for '${field.name}', found ${value}`);
        }
        return value;
      }
    }
  }

  /** A number with an optional leading '-': digits, or inf/infinity/nan. */
  private number(field: protobuf.Field): number {
    const sign = this.accept('-') ? -1 : 1;
    const token = this.next();
    const special = token.kind === 'identifier' ? lookup(SPECIAL_NUMBERS, token.text.toLowerCase()) : undefined;
    if (special !== undefined) return sign * special;
    if (token.kind !== 'number') this.fail(token, `expected a number for '${field.name}', found ${describe(token)}`);
    const integerOnly = field.type !== 'float' && field.type !== 'double';
    if (integerOnly && !/^(0[xX][0-9a-fA-F]+|\d+)$/.test(token.text)) {
      this.fail(token, `expected an integer (${field.type}) for '${field.name}', found ${describe(token)}`);
    }
    return sign * Number(/^0[xX]/.test(token.text) ? token.text : token.text.replace(/[fF]$/, ''));
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token.kind !== 'end') this.pos++;
    return token;
  }

  private accept(text: string): boolean {
    const token = this.peek();
    const matches = text === 'end' ? token.kind === 'end' : token.kind === 'symbol' && token.text === text;
    if (matches) this.next();
    return matches;
  }

  private expect(symbol: string): void {
    if (!this.accept(symbol)) this.fail(this.peek(), `expected '${symbol}', found ${describe(this.peek())}`);
  }

  private fail(token: Token, message: string): never {
    throw new ModelError(`${this.file}:${token.line}:${token.column}: ${message}`);
  }
}

// Mutations of text formats (prototxt, IR XML, JSON, the .npy header): a number token replaced by an
// interesting one, blocks (layers, identities) duplicated, deleted or swapped, nesting thousands
// deep, a huge string; and any byte mutation of the encoded text.

import { mutateBytes, type Mutant } from './bytes.js';
import type { Random } from './random.js';
import { INTERESTING_NUMBER_TEXT } from './values.js';

export interface TextFormat {
  /** Spans [start, end) of the repeated blocks (layers, edges, identities …). */
  blocks(text: string): [number, number][];
  /** What opens and closes one level of nesting. */
  open: string;
  close: string;
  /** A string value of the given content, as the format quotes it. */
  quote(content: string): string;
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

function replaceNumber(rng: Random, text: string): Mutant | undefined {
  const spans = [...text.matchAll(NUMBER)];
  if (spans.length === 0) return undefined;
  const match = rng.pick(spans);
  const value = rng.pick(INTERESTING_NUMBER_TEXT);
  return { bytes: encode(text.slice(0, match.index) + value + text.slice(match.index + match[0].length)), how: `number at ${match.index} -> ${value}` };
}

function editBlock(rng: Random, text: string, format: TextFormat): Mutant | undefined {
  const blocks = format.blocks(text);
  if (blocks.length === 0) return undefined;
  const i = rng.int(blocks.length);
  const [start, end] = blocks[i];
  const block = text.slice(start, end);
  switch (rng.int(4)) {
    case 0: {
      const times = rng.pick([1, 2, 100]);
      return { bytes: encode(text.slice(0, end) + block.repeat(times) + text.slice(end)), how: `block ${i} repeated ${times} more time(s)` };
    }
    case 1:
      return { bytes: encode(text.slice(0, start) + text.slice(end)), how: `block ${i} deleted` };
    case 2: {
      const j = rng.int(blocks.length);
      const [a, b] = i < j ? [blocks[i], blocks[j]] : [blocks[j], blocks[i]];
      if (a === b || a[1] > b[0]) return undefined;
      const swapped = text.slice(0, a[0]) + text.slice(b[0], b[1]) + text.slice(a[1], b[0]) + text.slice(a[0], a[1]) + text.slice(b[1]);
      return { bytes: encode(swapped), how: `blocks ${Math.min(i, j)} and ${Math.max(i, j)} swapped` };
    }
    default: {
      const reversed = blocks.slice().reverse().map(([s, e]) => text.slice(s, e)).join('\n');
      return { bytes: encode(text.slice(0, blocks[0][0]) + reversed + text.slice(blocks[blocks.length - 1][1])), how: 'blocks in reverse order' };
    }
  }
}

function nest(rng: Random, text: string, format: TextFormat): Mutant {
  const depth = rng.pick([100, 1000, 100_000]);
  const at = rng.int(text.length + 1);
  return { bytes: encode(text.slice(0, at) + format.open.repeat(depth) + format.close.repeat(depth) + text.slice(at)), how: `nesting ${depth} deep at ${at}` };
}

function hugeString(rng: Random, text: string, format: TextFormat): Mutant {
  const length = rng.pick([5000, 1_000_000]);
  const at = rng.int(text.length + 1);
  return { bytes: encode(text.slice(0, at) + format.quote('x'.repeat(length)) + text.slice(at)), how: `string of ${length} at ${at}` };
}

/** One mutation of `text`; `other` is another seed, for splices. */
export function mutateText(rng: Random, text: string, other: string, format: TextFormat): Mutant {
  const pick = rng.int(8);
  const mutant = pick < 3 ? replaceNumber(rng, text)
    : pick < 5 ? editBlock(rng, text, format)
    : pick === 5 ? (rng.chance(0.5) ? nest(rng, text, format) : hugeString(rng, text, format))
    : undefined;
  return mutant ?? mutateBytes(rng, encode(text), encode(other));
}

const encoder = new TextEncoder();
export const encode = (text: string) => encoder.encode(text);
export const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Spans of `open … close` blocks at the top of their nesting, found by counting braces (strings are not special). */
export function braceBlocks(text: string, start: RegExp, open = '{', close = '}'): [number, number][] {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(start)) {
    if (spans.length > 0 && match.index < spans[spans.length - 1][1]) continue;
    let depth = 0;
    for (let i = text.indexOf(open, match.index); i >= 0 && i < text.length; i++) {
      if (text[i] === open) depth++;
      else if (text[i] === close && --depth === 0) {
        spans.push([match.index, i + 1]);
        break;
      }
    }
  }
  return spans;
}

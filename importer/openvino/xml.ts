// The IR's .xml as plain records. fast-xml-parser reads the text; this file checks the structure
// every later step relies on (ids, ports, dims, blob ranges, edges) and lets no parser object out.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatShape, ModelError, sizeOf } from '../../engine/graph/graph.js';
import { checkLimit, type Limits } from '../../engine/limits.js';

const SUPPORTED_VERSIONS = [2, 3];

export interface IrPort {
  id: string;
  dims: number[];
}

/** A byte range of the .bin holding one of a layer's constant tensors. */
export interface IrBlob {
  name: string;
  offset: number;
  size: number;
}

export interface IrLayer {
  id: string;
  name: string;
  type: string;
  precision: string | undefined;
  /** The `<data>` attributes, as written. */
  data: Record<string, string>;
  inputs: IrPort[];
  outputs: IrPort[];
  blobs: IrBlob[];
}

export interface IrEdge {
  fromLayer: string;
  fromPort: string;
  toLayer: string;
  toPort: string;
}

export interface IrNet {
  name: string | undefined;
  version: number;
  layers: IrLayer[];
  edges: IrEdge[];
}

type Element = { $?: Record<string, string>; [child: string]: unknown };

const LISTS = new Set(['net.layers.layer', 'net.layers.layer.input.port', 'net.layers.layer.output.port',
  'net.layers.layer.input.port.dim', 'net.layers.layer.output.port.dim', 'net.edges.edge']);

const parser = (nesting: number) => new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '$',
  parseTagValue: false,
  maxNestedTags: nesting,
  isArray: (_name, path, _leaf, isAttribute) => !isAttribute && (LISTS.has(path as string) || /^net\.layers\.layer\.blobs\.[^.]+$/.test(path as string)),
});

/** How errors name a layer: `layer 5 'conv1' (Convolution)`. */
export function label(layer: Pick<IrLayer, 'id' | 'name' | 'type'>): string {
  return `layer ${layer.id} '${layer.name}' (${layer.type})`;
}

/** Parses and checks an IR .xml within `limits`; `file` names it in errors. */
export function parseIrXml(text: string, file: string, limits: Limits): IrNet {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ModelError(`${file}: malformed XML at line ${valid.err.line}, column ${valid.err.col ?? 1}: ${valid.err.msg}`);
  }
  let document: Element;
  try {
    document = parser(limits.nesting).parse(text);
  } catch (error) {
    const nested = /nested/i.test((error as Error).message);
    throw new ModelError(nested ? `${file}: XML elements nest more than ${limits.nesting} levels deep (limits.nesting; it can be raised)`
      : `${file}: cannot read the XML: ${(error as Error).message}`);
  }
  const net = element(document.net);
  if (!net) throw new ModelError(`${file}: not an OpenVINO IR (no <net> element)`);
  const version = Number(attrs(net).version);
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new ModelError(`${file}: IR version ${attrs(net).version ?? '(none)'} is not supported (supported: ${SUPPORTED_VERSIONS.join(', ')})`);
  }
  const layerElements = list(element(net.layers)?.layer);
  checkLimit(limits, 'layers', layerElements.length, `${file}: the net`);
  const layers = layerElements.map((layer, index) => readLayer(layer, index, file, limits));
  if (layers.length === 0) throw new ModelError(`${file}: the net has no layers`);
  const seen = new Set<string>();
  for (const layer of layers) {
    if (seen.has(layer.id)) throw new ModelError(`${file}: two layers have id ${layer.id}`);
    seen.add(layer.id);
  }
  const edges = list(element(net.edges)?.edge).map((edge, index) => {
    const a = attrs(edge);
    const get = (key: string) => a[key] ?? fail(file, `edge #${index + 1} has no '${key}' attribute`);
    return { fromLayer: get('from-layer'), fromPort: get('from-port'), toLayer: get('to-layer'), toPort: get('to-port') };
  });
  return { name: attrs(net).name, version, layers, edges };
}

function readLayer(layer: Element, index: number, file: string, limits: Limits): IrLayer {
  const a = attrs(layer);
  for (const [name, value] of [...Object.entries(a), ...Object.entries(attrs(element(layer.data)))]) {
    checkLimit(limits, 'stringLength', value.length, `${file}: layer #${index + 1}: attribute '${name.slice(0, 64)}'`);
  }
  const id = a.id ?? fail(file, `layer #${index + 1} has no 'id' attribute`);
  const where = label({ id, name: a.name ?? id, type: a.type ?? '?' });
  const type = a.type ?? fail(file, `${where}: no 'type' attribute`);
  const ports = (side: 'input' | 'output') => {
    const result = list(element(layer[side])?.port).map((port) => {
      const portId = attrs(port).id ?? fail(file, `${where}: an ${side} port has no 'id' attribute`);
      const dims = (Array.isArray(port.dim) ? port.dim : []).map((dim: unknown) => {
        const value = typeof dim === 'string' ? Number(dim) : NaN;
        if (!Number.isInteger(value) || value < 0) fail(file, `${where}: ${side} port ${portId}: dim expected a non-negative integer, found '${String(dim)}'`);
        return value;
      });
      checkLimit(limits, 'tensorElements', sizeOf(dims), `${file}: ${where}: ${side} port ${portId} ${formatShape(dims)}`);
      return { id: portId, dims };
    });
    const ids = result.map((p) => p.id);
    const twice = ids.find((p, i) => ids.indexOf(p) !== i);
    if (twice !== undefined) fail(file, `${where}: two ${side} ports have id ${twice}`);
    return result;
  };
  const blobs = Object.entries(element(layer.blobs) ?? {}).filter(([name]) => name !== '$').map(([name, found]) => {
    const entries = list(found);
    if (entries.length !== 1) fail(file, `${where}: blob '${name}' appears ${entries.length} times`);
    const range = attrs(entries[0]);
    const number = (key: 'offset' | 'size') => {
      const value = Number(range[key] ?? NaN);
      if (!Number.isSafeInteger(value) || value < 0) fail(file, `${where}: blob '${name}' attribute '${key}' expected a non-negative integer, found '${range[key] ?? '(none)'}'`);
      return value;
    };
    return { name, offset: number('offset'), size: number('size') };
  });
  return { id, name: a.name ?? id, type, precision: a.precision, data: { ...attrs(element(layer.data)) }, inputs: ports('input'), outputs: ports('output'), blobs };
}

/** An element's object form; absent or text-only (`<data/>` parses as '') elements are undefined. */
function element(value: unknown): Element | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Element) : undefined;
}

function attrs(value: unknown): Record<string, string> {
  return element(value)?.$ ?? {};
}

function list(value: unknown): Element[] {
  return Array.isArray(value) ? value.map((item) => element(item) ?? {}) : [];
}

function fail(file: string, message: string): never {
  throw new ModelError(`${file}: ${message}`);
}

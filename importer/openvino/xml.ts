// The IR's .xml as plain records. xml-tree.ts reads the text; this file checks the structure
// every later step relies on (ids, ports, dims, blob ranges, edges) and lets no XML object out.

import { formatShape, ModelError, sizeOf } from '../../engine/graph/graph.js';
import { checkLimit, type Limits } from '../../engine/limits.js';
import { lineColumn, parseXml, XmlDepthError, XmlSyntaxError, type XmlElement } from './xml-tree.js';

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

/** How errors name a layer: `layer 5 'conv1' (Convolution)`. */
export function label(layer: Pick<IrLayer, 'id' | 'name' | 'type'>): string {
  return `layer ${layer.id} '${layer.name}' (${layer.type})`;
}

/** Parses and checks an IR .xml within `limits`; `file` names it in errors. */
export function parseIrXml(text: string, file: string, limits: Limits): IrNet {
  let net: XmlElement;
  try {
    net = parseXml(text, limits.nesting);
  } catch (error) {
    if (error instanceof XmlDepthError) {
      throw new ModelError(`${file}: XML elements nest more than ${limits.nesting} levels deep (limits.nesting; it can be raised)`);
    }
    if (!(error instanceof XmlSyntaxError)) throw error;
    const { line, column } = lineColumn(text, error.offset);
    throw new ModelError(`${file}: malformed XML at line ${line}, column ${column}: ${error.message}`);
  }
  if (net.name !== 'net') throw new ModelError(`${file}: not an OpenVINO IR (the root element is <${net.name}>, not <net>)`);
  const version = Number(net.attrs.version);
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new ModelError(`${file}: IR version ${net.attrs.version ?? '(none)'} is not supported (supported: ${SUPPORTED_VERSIONS.join(', ')})`);
  }
  const layerElements = children(only(net, 'layers', file, '<net>'), 'layer');
  checkLimit(limits, 'layers', layerElements.length, `${file}: the net`);
  const layers = layerElements.map((layer, index) => readLayer(layer, index, file, limits));
  if (layers.length === 0) throw new ModelError(`${file}: the net has no layers`);
  const seen = new Set<string>();
  for (const layer of layers) {
    if (seen.has(layer.id)) throw new ModelError(`${file}: two layers have id ${layer.id}`);
    seen.add(layer.id);
  }
  const edges = children(only(net, 'edges', file, '<net>'), 'edge').map(({ attrs }, index) => {
    const get = (key: string) => attrs[key] ?? fail(file, `edge #${index + 1} has no '${key}' attribute`);
    return { fromLayer: get('from-layer'), fromPort: get('from-port'), toLayer: get('to-layer'), toPort: get('to-port') };
  });
  return { name: net.attrs.name, version, layers, edges };
}

function readLayer(layer: XmlElement, index: number, file: string, limits: Limits): IrLayer {
  const a = layer.attrs;
  const data = only(layer, 'data', file, `layer #${index + 1}`)?.attrs ?? {};
  for (const [name, value] of [...Object.entries(a), ...Object.entries(data)]) {
    checkLimit(limits, 'stringLength', value.length, `${file}: layer #${index + 1}: attribute '${name.slice(0, 64)}'`);
  }
  const id = a.id ?? fail(file, `layer #${index + 1} has no 'id' attribute`);
  const where = label({ id, name: a.name ?? id, type: a.type ?? '?' });
  const type = a.type ?? fail(file, `${where}: no 'type' attribute`);
  const ports = (side: 'input' | 'output') => {
    const result = children(only(layer, side, file, where), 'port').map((port) => {
      const portId = port.attrs.id ?? fail(file, `${where}: an ${side} port has no 'id' attribute`);
      const dims = children(port, 'dim').map((dim) => {
        const value = dim.text.trim();
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
          fail(file, `${where}: ${side} port ${portId}: dim expected a non-negative integer, found '${value.slice(0, 64)}'`);
        }
        return Number(value);
      });
      checkLimit(limits, 'tensorElements', sizeOf(dims), `${file}: ${where}: ${side} port ${portId} ${formatShape(dims)}`);
      return { id: portId, dims };
    });
    const ids = result.map((p) => p.id);
    const twice = ids.find((p, i) => ids.indexOf(p) !== i);
    if (twice !== undefined) fail(file, `${where}: two ${side} ports have id ${twice}`);
    return result;
  };
  const blobs = (only(layer, 'blobs', file, where)?.children ?? []).map(({ name, attrs: range }, i, all) => {
    if (all.findIndex((b) => b.name === name) !== i) fail(file, `${where}: blob '${name}' appears more than once`);
    const number = (key: 'offset' | 'size') => {
      const value = Number(range[key] ?? NaN);
      if (!Number.isSafeInteger(value) || value < 0) fail(file, `${where}: blob '${name}' attribute '${key}' expected a non-negative integer, found '${range[key] ?? '(none)'}'`);
      return value;
    };
    return { name, offset: number('offset'), size: number('size') };
  });
  return { id, name: a.name ?? id, type, precision: a.precision, data: { ...data }, inputs: ports('input'), outputs: ports('output'), blobs };
}

/** The children of an element (or of none) with a given tag. */
function children(parent: XmlElement | undefined, name: string): XmlElement[] {
  return parent?.children.filter((child) => child.name === name) ?? [];
}

/** The one child of an element with a given tag, if any; two are refused. */
function only(parent: XmlElement, name: string, file: string, where: string): XmlElement | undefined {
  const found = children(parent, name);
  if (found.length > 1) fail(file, `${where} has ${found.length} <${name}> elements`);
  return found[0];
}

function fail(file: string, message: string): never {
  throw new ModelError(`${file}: ${message}`);
}

// OpenVINO IR (versions 2 and 3: .xml topology + .bin weights) → Graph.
//   .xml → plain records (xml.ts) → blob ranges checked against the .bin (blobs.ts) → edges wired
//   and sorted (topology.ts) → each layer mapped by the table (layers.ts) → every declared port
//   shape checked against the engine's shape inference.

import { readFile } from 'node:fs/promises';
import { formatShape, ModelError, type Graph, type Node, type Shape } from '../../engine/graph/graph.js';
import { inferShapes } from '../../engine/graph/ops.js';
import { validateGraph } from '../../engine/graph/validate.js';
import { limitsWith, type Limits } from '../../engine/limits.js';
import { cachedImport } from '../graph-cache.js';
import { checkBlobRanges, type Precision } from './blobs.js';
import { LAYERS, SUPPORTED_TYPES } from './layers.js';
import { LayerReader } from './reader.js';
import { wire } from './topology.js';
import { parseIrXml, type IrLayer } from './xml.js';

export { halfToFloat } from './half.js';

export interface OpenVinoOptions {
  /** Names the .xml in errors. */
  xmlName?: string;
  /** Names the .bin in errors. */
  binName?: string;
  /** How the .bin stores values; default: each layer's `precision` attribute. */
  precision?: Precision;
  /** Raises or lowers the limits of engine/limits.ts. */
  limits?: Partial<Limits>;
}

/** FP32 weights at offsets that are multiples of 4 (every blob of an IR as OpenVINO writes it) are
 *  views of `bin` (io/float32.ts): do not change `bin` afterwards. */
export function importOpenVino(xml: string, bin: Uint8Array, options: OpenVinoOptions = {}): Graph {
  const file = options.xmlName ?? 'IR .xml';
  const binName = options.binName ?? 'the IR .bin';
  const net = parseIrXml(xml, file, limitsWith(options.limits));
  checkBlobRanges(net, bin.length, file, binName);
  const { order, reads, writes, unread } = wire(net, file);
  const graph: Graph = { name: net.name ?? file, inputs: [], outputs: unread, nodes: [] };
  const shapes = new Map<string, Shape>();
  for (const layer of order) {
    const reader = new LayerReader(layer, bin, options.precision ?? layer.precision, file);
    const outputs = writes.get(layer)!;
    if (layer.type === 'Input') {
      if (layer.inputs.length !== 0 || layer.outputs.length !== 1) {
        reader.fail(`expected no input ports and 1 output port, found ${layer.inputs.length} and ${layer.outputs.length}`);
      }
      reader.checkBlobsRead();
      graph.inputs.push({ name: outputs[0], shape: layer.outputs[0].dims });
      shapes.set(outputs[0], layer.outputs[0].dims);
      continue;
    }
    if (!Object.hasOwn(LAYERS, layer.type)) reader.fail(`unknown layer type '${layer.type}' (supported: ${SUPPORTED_TYPES.join(', ')})`);
    const node: Node = { ...LAYERS[layer.type](reader), name: layer.name, inputs: reads.get(layer)!, outputs };
    reader.checkBlobsRead();
    checkShapes(node, layer, reader, shapes);
    graph.nodes.push(node);
  }
  validateGraph(graph, { model: file, weights: binName });
  return graph;
}

/** Reads `xmlPath` and its weights (default: the same path ending in .bin). */
export async function loadOpenVino(xmlPath: string, binPath = `${xmlPath.replace(/\.xml$/i, '')}.bin`,
  options: { limits?: Partial<Limits> } = {}): Promise<Graph> {
  return cachedImport([xmlPath, binPath], options, async () => {
    const [xml, bin] = await Promise.all([read(xmlPath), read(binPath)]);
    return importOpenVino(new TextDecoder().decode(xml), bin, { xmlName: xmlPath, binName: binPath, limits: options.limits });
  });
}

async function read(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new ModelError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The shapes the engine infers must be the ones the IR declares on every port. */
function checkShapes(node: Node, layer: IrLayer, reader: LayerReader, shapes: Map<string, Shape>): void {
  const inputs = node.inputs.map((value) => shapes.get(value)!);
  inputs.forEach((shape, i) => {
    const port = layer.inputs[i];
    if (!sameShape(shape, port.dims)) reader.fail(`input port ${port.id} declares ${formatShape(port.dims)} but receives ${formatShape(shape)}`);
  });
  let outputs: Shape[];
  try {
    outputs = inferShapes(node, inputs);
  } catch (error) {
    if (error instanceof ModelError) reader.fail(error.message);
    throw error;
  }
  if (outputs.length !== layer.outputs.length) reader.fail(`expected ${outputs.length} output port(s), found ${layer.outputs.length}`);
  outputs.forEach((shape, i) => {
    const port = layer.outputs[i];
    if (!sameShape(shape, port.dims)) reader.fail(`output port ${port.id} declares ${formatShape(port.dims)} but the ${node.op} computes ${formatShape(shape)}`);
    shapes.set(node.outputs[i], shape);
  });
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// Caffe importer: a deploy .prototxt (the net) and a .caffemodel (its weights) → Graph.
//   prototxt text → parsePrototxt → upgradeNet → buildGraph ← blobs by layer name ← decodeCaffemodel
// The caffemodel may hold a whole training net (data, loss, accuracy layers …): only the blobs
// of the layers the deploy net names are read.

import type { Graph } from '../../engine/graph/graph.js';
import { ModelError } from '../../engine/graph/graph.js';
import { validateGraph } from '../../engine/graph/validate.js';
import { limitsWith } from '../../engine/limits.js';
import { readFileBytes } from '../../io/read-file.js';
import { cachedImport } from '../graph-cache.js';
import { buildGraph, type BuildOptions } from './build.js';
import { decodeCaffemodel } from './caffemodel.js';
import type { Message } from './proto.js';
import { parsePrototxt } from './prototxt.js';
import { layersOf, upgradeNet } from './upgrade.js';

export interface CaffeImportOptions extends BuildOptions {
  /** Names the prototxt in messages. */
  prototxtName?: string;
  /** Names the caffemodel in messages. */
  caffemodelName?: string;
}

/** Imports a net from prototxt text and caffemodel bytes (without a caffemodel, blobs written in
 *  the prototxt itself are the weights). Weights stored 4-byte aligned in `caffemodel` are views of
 *  it (io/float32.ts): do not change it afterwards. */
export function importCaffe(prototxt: string, caffemodel: Uint8Array | undefined, options: CaffeImportOptions = {}): Graph {
  return importBytes(prototxt, caffemodel, options, false);
}

/** importCaffe; `movable`: the caffemodel's bytes were read for this import alone (caffemodel.ts may move its floats). */
function importBytes(prototxt: string, caffemodel: Uint8Array | undefined, options: CaffeImportOptions, movable: boolean): Graph {
  const prototxtName = options.prototxtName ?? 'prototxt';
  const caffemodelName = options.caffemodelName ?? 'caffemodel';
  const limits = limitsWith(options.limits);
  const net = upgradeNet(parsePrototxt(prototxt, prototxtName), prototxtName, limits);
  const weightLayers = caffemodel ? layersOf(decodeCaffemodel(caffemodel, caffemodelName, movable), caffemodelName, limits) : net.layers;
  const weights = new Map<string, Message[]>();
  for (const layer of weightLayers) if (!weights.has(layer.name)) weights.set(layer.name, layer.blobs);
  const sources = { prototxt: prototxtName, weights: caffemodel ? caffemodelName : prototxtName };
  const graph = buildGraph(net, weights, sources, limits, options);
  validateGraph(graph, { model: prototxtName, weights: sources.weights });
  return graph;
}

/** Reads and imports a .prototxt and its .caffemodel (or reads back their graph from the cache: graph-cache.ts). */
export async function loadCaffe(prototxtPath: string, caffemodelPath: string, options: BuildOptions = {}): Promise<Graph> {
  return cachedImport([prototxtPath, caffemodelPath], options, async () => {
    const [prototxt, caffemodel] = await Promise.all([read(prototxtPath, 'Caffe prototxt'), read(caffemodelPath, 'caffemodel')]);
    return importBytes(new TextDecoder().decode(prototxt), caffemodel,
      { ...options, prototxtName: prototxtPath, caffemodelName: caffemodelPath }, true);
  });
}

async function read(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFileBytes(path, what);
  } catch (error) {
    throw new ModelError((error as Error).message);
  }
}

// One door for every model format: a model is named by its main file, and the extension
// says which importer reads it (.prototxt + .caffemodel, or OpenVINO .xml + .bin); the weights
// file defaults to the same stem beside it. A bare name is a model folder found by models.ts.
// Each importer ends with engine/graph/validate.ts, and checks what files declare against the
// limits of engine/limits.ts (raised through `limits`) before allocating for it.

import { extname } from 'node:path';
import { ModelError, type Graph } from '../engine/graph/graph.js';
import type { Limits } from '../engine/limits.js';
import { findModel } from './models.js';
import { loadCaffe } from './caffe/index.js';
import { loadOpenVino } from './openvino/index.js';

const stem = (path: string) => path.slice(0, path.length - extname(path).length);

export interface ModelSource {
  /** A .prototxt or .xml file, or a model name looked up in the model folders. */
  model: string;
  /** The weights file (.caffemodel or .bin); default: beside the model file, same stem. */
  weights?: string;
  /** Folder of model folders, for a model given by name. */
  models?: string;
  /** Raises or lowers the limits on what the files may declare (engine/limits.ts). */
  limits?: Partial<Limits>;
}

export async function loadModel(source: ModelSource): Promise<Graph> {
  const { model, weights, limits } = source;
  switch (extname(model).toLowerCase()) {
    case '.prototxt': return loadCaffe(model, weights ?? `${stem(model)}.caffemodel`, { limits });
    case '.xml': return loadOpenVino(model, weights ?? `${stem(model)}.bin`, { limits });
    case '': {
      if (weights) throw new ModelError(`model '${model}' is a name, not a file: weights cannot be given for it`);
      return loadModel({ ...findModel(model, source.models), limits });
    }
    default:
      throw new ModelError(`${model}: unknown model format '${extname(model)}' (expected .prototxt + .caffemodel, or OpenVINO .xml + .bin)`);
  }
}

// The library's public API.
export { Embedder, cosine, normalize, INPUT_SIZE, type EmbedderOptions } from './rmnet/embedder.js';
export type { ImageInput, RawPixels } from './rmnet/image-input.js';
export { SAME_PERSON_THRESHOLD } from './rmnet/verify.js';
export { findCaffeModel, modelDirs, RMNET } from './rmnet/models.js';
export { importCaffe, loadCaffe } from './importer/caffe/index.js';
export { compile, type CompiledModel, type CompileOptions } from './engine/compile.js';
export { optimize, PASSES } from './engine/graph/passes/index.js';
export { ModelError, type Graph, type Node, type Shape, type Tensor } from './engine/graph/graph.js';
export type { Op, OpName, Activation } from './engine/graph/ops.js';
export { decodeImage, readImage, type Pixels } from './io/image.js';
export { parseNpy, formatNpy } from './io/npy.js';

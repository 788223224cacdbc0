// The library's public API.
export { Embedder, cosine, normalize, INPUT_SIZE, type EmbedderOptions } from './rmnet/embedder.js';
export type { ImageInput, RawPixels } from './rmnet/image-input.js';
export { FacePipeline, NoFaceError, type EmbeddedFace, type PipelineOptions } from './rmnet/pipeline.js';
export { FaceDetector, findMtcnn, type DetectOptions, type Face } from './rmnet/mtcnn/index.js';
export { alignInto, alignedCropInto, RMNET_TEMPLATE, ARCFACE_112 } from './rmnet/align.js';
export { fitSimilarity, type Point, type Similarity } from './rmnet/similarity.js';
export {
  emptyGallery, enroll, identify, identityOf, spaceOf, parseGallery, serializeGallery, matchSpace, GalleryError,
  type EmbeddingSpace, type Gallery, type Identity, type Match, type ModelIdentity,
} from './rmnet/gallery.js';
export { readGallery, updateGallery, type GalleryFileOptions, type WriteStep } from './rmnet/gallery-file.js';
export { SAME_PERSON_THRESHOLD, ALIGNED_THRESHOLD } from './rmnet/verify.js';
export { findModel, modelDirs, ModelNotFoundError, packageModels, type ModelFiles } from './importer/models.js';
export { RMNET } from './rmnet/models.js';
export { FaceTracker, type IdentitySummary, type TrackedFace, type TrackedFrame, type TrackerOptions } from './rmnet/track/index.js';
export { loadModel, type ModelSource } from './importer/index.js';
export { importCaffe, loadCaffe } from './importer/caffe/index.js';
export { importOpenVino, loadOpenVino } from './importer/openvino/index.js';
export { exportOnnx, type OnnxExportOptions } from './exporter/onnx/index.js';
export { compile, type CompiledModel, type CompileOptions } from './engine/compile.js';
export type { Backend, Step } from './engine/backends/backend.js';
export type { KernelNode, Program, Variant } from './engine/lower/kernel-node.js';
export { cpuBackend } from './engine/backends/cpu.js';
export { simdBackend, simdAvailable, createSimdBackend } from './engine/backends/simd.js';
export { enableRelaxedSimd, relaxedSimdAvailable } from './engine/relaxed-simd.js';
export { createPool, type Pool, type PoolOptions } from './engine/pool.js';
export { optimize, PASSES } from './engine/graph/passes/index.js';
export { ModelError, type Graph, type Node, type Shape, type Tensor } from './engine/graph/graph.js';
export type { Op, OpName, Activation } from './engine/graph/ops.js';
export { decodeImage, readImage, type Pixels } from './io/image.js';
export { parseNpy, formatNpy } from './io/npy.js';
export { Y4mReader, Y4mError, y4mFrame, y4mHeader, type Y4mHeader } from './io/y4m.js';

// The models, fetched from the server's /models/ folder and imported once; and per device and
// thread count, the face pipeline built on them. With 2 threads a Web Worker takes a share of
// each detector stage (rmnet/mtcnn/parallel.ts, web/detector-worker.ts) and another the mirror
// half of each embedding run (engine/pool.ts, web/pool-worker.ts), as FacePipeline does in Node.

import type { Graph } from '../engine/graph/graph.js';
import { createPool } from '../engine/pool.js';
import { browserWorker, type WorkerPort } from '../engine/worker-link.js';
import { importCaffe } from '../importer/caffe/index.js';
import { Embedder, INPUT_SIZE } from '../rmnet/embedder.js';
import { RMNET } from '../rmnet/models.js';
import { FaceDetector } from '../rmnet/mtcnn/detector.js';
import { MTCNN, MTCNN_NETS, type MtcnnNetName } from '../rmnet/mtcnn/nets.js';
import { ParallelDetector } from '../rmnet/mtcnn/parallel.js';
import { FacePipeline } from '../rmnet/pipeline.js';
import { backendOf, type Device } from './devices.js';

/** Where the server puts the model folders, relative to the page. */
export const MODELS_URL = new URL('models/', document.baseURI);

export interface Models {
  rmnet: Graph;
  mtcnn: Record<MtcnnNetName, Graph>;
}

export async function fetchBytes(path: string): Promise<Uint8Array> {
  const url = new URL(path, MODELS_URL);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url.pathname}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchCaffe(folder: string, name: string): Promise<Graph> {
  const prototxt = `${folder}/${name}.prototxt`;
  const caffemodel = `${folder}/${name}.caffemodel`;
  const [text, weights] = await Promise.all([fetchBytes(prototxt), fetchBytes(caffemodel)]);
  return importCaffe(new TextDecoder().decode(text), weights, { prototxtName: prototxt, caffemodelName: caffemodel });
}

/** RMNet and the four MTCNN nets, imported (about 3 MB fetched). */
export async function fetchModels(): Promise<Models> {
  const [rmnet, ...mtcnn] = await Promise.all([fetchCaffe(RMNET, RMNET), ...MTCNN_NETS.map((net) => fetchCaffe(MTCNN, net))]);
  return { rmnet, mtcnn: Object.fromEntries(MTCNN_NETS.map((net, i) => [net, mtcnn[i]])) as Record<MtcnnNetName, Graph> };
}

export type Threads = 1 | 2;

/** Threads serve the devices whose kernels run on this thread (the cpu and simd backends). */
export const threadable = (device: Device): boolean => device === 'cpu' || device === 'simd';

/** How a device and a thread count are named in the timings: "simd", "simd ×2". */
export const deviceLabel = (device: Device, threads: Threads): string => (threads === 2 && threadable(device) ? `${device} ×2` : device);

/** A Web Worker on one of the page's worker bundles, beside main.js (web/build.mjs). */
const spawn = (file: 'detector-worker.js' | 'pool-worker.js'): WorkerPort =>
  browserWorker(new Worker(new URL(file, import.meta.url), { type: 'module', name: file }));

export interface DevicePipeline {
  device: Device;
  /** MTCNN runs synchronously: on an asynchronous device it runs on this one instead. */
  detectDevice: Device;
  /** The device's and the detection's names with their threads (deviceLabel). */
  label: string;
  detectLabel: string;
  pipeline: FacePipeline;
}

/** One pipeline per device and thread count, each net compiled lazily for the shapes it meets. */
export class Pipelines {
  private readonly made = new Map<string, Promise<DevicePipeline>>();
  private readonly detectors = new Map<string, Promise<{ detector: FaceDetector; parallel?: ParallelDetector }>>();
  private readonly embedders = new Map<string, Promise<Embedder>>();

  constructor(readonly models: Models, private readonly fallbackDetectDevice: Device) {}

  get(device: Device, threads: Threads = 1): Promise<DevicePipeline> {
    return once(this.made, `${device}/${threads}`, () => this.make(device, threads));
  }

  /** The embedder for a device alone (the reference check needs no detector); with 2 threads its Web Worker compiled. */
  embedder(device: Device, threads: Threads = 1): Promise<Embedder> {
    return once(this.embedders, `${device}/${threads}`, async () => {
      const backend = await backendOf(device);
      const helper = threads === 2 && threadable(device)
        ? await createPool({ graph: this.models.rmnet, threads: 1, device: device as 'cpu' | 'simd', relaxed: backend.relaxed, spawn: () => spawn('pool-worker.js') })
        : undefined;
      return Embedder.fromGraph(this.models.rmnet, { backend, flip: true, helper }); // as FacePipeline.load: detected faces flip-averaged
    });
  }

  /** The device's pipeline, its embedder compiled for one face and run once (GPU backends compile shaders then). */
  private async make(device: Device, threads: Threads): Promise<DevicePipeline> {
    try {
      const backend = await backendOf(device);
      const detectDevice = backend.async ? this.fallbackDetectDevice : device;
      const embedder = await this.embedder(device, threads);
      await embedder.embedTensor(new Float32Array(3 * INPUT_SIZE * INPUT_SIZE), 1);
      const { detector, parallel } = await this.detector(detectDevice, threads);
      return { device, detectDevice, label: deviceLabel(device, threads), detectLabel: deviceLabel(detectDevice, threads), pipeline: FacePipeline.fromParts(detector, embedder, parallel) };
    } catch (error) {
      throw new Error(`device ${deviceLabel(device, threads)}: ${(error as Error).message}`, { cause: error });
    }
  }

  private detector(device: Device, threads: Threads): Promise<{ detector: FaceDetector; parallel?: ParallelDetector }> {
    return once(this.detectors, `${device}/${threads}`, async () => {
      const backend = await backendOf(device);
      const detector = FaceDetector.fromGraphs(this.models.mtcnn, { backend });
      if (threads === 1 || !threadable(device)) return { detector };
      return { detector, parallel: await ParallelDetector.start(this.models.mtcnn, detector, backend, spawn('detector-worker.js')) };
    });
  }
}

/** The value made once for `key` (a failure is forgotten, so the next call tries again). */
function once<T>(made: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = made.get(key);
  if (!value) {
    value = make();
    made.set(key, value);
    value.catch(() => made.delete(key));
  }
  return value;
}

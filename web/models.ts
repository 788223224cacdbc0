// The models, fetched from the server's /models/ folder and imported once; and per device, the
// face pipeline built on them.

import type { Backend } from '../engine/backends/backend.js';
import type { Graph } from '../engine/graph/graph.js';
import { importCaffe } from '../importer/caffe/index.js';
import { Embedder, INPUT_SIZE } from '../rmnet/embedder.js';
import { RMNET } from '../rmnet/models.js';
import { FaceDetector } from '../rmnet/mtcnn/detector.js';
import { MTCNN, MTCNN_NETS, type MtcnnNetName } from '../rmnet/mtcnn/nets.js';
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

export interface DevicePipeline {
  device: Device;
  /** MTCNN runs synchronously: on an asynchronous device it runs on this one instead. */
  detectDevice: Device;
  pipeline: FacePipeline;
}

/** One pipeline per device, each net compiled lazily for the shapes it meets. */
export class Pipelines {
  private readonly made = new Map<Device, Promise<DevicePipeline>>();
  private readonly detectors = new Map<Device, FaceDetector>();
  private readonly embedders = new Map<Device, Embedder>();

  constructor(readonly models: Models, private readonly fallbackDetectDevice: Device) {}

  get(device: Device): Promise<DevicePipeline> {
    let made = this.made.get(device);
    if (!made) {
      made = this.make(device);
      this.made.set(device, made);
      made.catch(() => this.made.delete(device));
    }
    return made;
  }

  /** The embedder for a device alone (the reference check needs no detector). */
  async embedder(device: Device): Promise<Embedder> {
    let embedder = this.embedders.get(device);
    if (!embedder) {
      embedder = Embedder.fromGraph(this.models.rmnet, { backend: await backendOf(device), flip: true }); // as FacePipeline.load: detected faces flip-averaged
      this.embedders.set(device, embedder);
    }
    return embedder;
  }

  /** The device's pipeline, its embedder compiled for one face and run once (GPU backends compile shaders then). */
  private async make(device: Device): Promise<DevicePipeline> {
    try {
      const backend = await backendOf(device);
      const detectDevice = backend.async ? this.fallbackDetectDevice : device;
      const embedder = await this.embedder(device);
      await embedder.embedTensor(new Float32Array(3 * INPUT_SIZE * INPUT_SIZE), 1);
      return { device, detectDevice, pipeline: FacePipeline.fromParts(await this.detector(detectDevice), embedder) };
    } catch (error) {
      throw new Error(`device ${device}: ${(error as Error).message}`, { cause: error });
    }
  }

  private async detector(device: Device): Promise<FaceDetector> {
    let detector = this.detectors.get(device);
    if (!detector) {
      const backend: Backend = await backendOf(device);
      detector = FaceDetector.fromGraphs(this.models.mtcnn, { backend });
      this.detectors.set(device, detector);
    }
    return detector;
  }
}

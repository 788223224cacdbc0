// Acceptance 3: MTCNN det1–det4, real caffemodels holding whole training nets, against OpenCV's
// outputs, on the CPU and SIMD backends.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../engine/backends/cpu.js';
import { MemoryShare } from '../engine/backends/backend.js';
import { createSimdBackend, simdBackend } from '../engine/backends/simd.js';
import { compile } from '../engine/compile.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { MtcnnNet } from '../rmnet/mtcnn/nets.js';
import { MTCNN_DIR } from './helpers/shared.js';

interface Blob { shape: number[]; file: string }
const refs = JSON.parse(readFileSync(`${MTCNN_DIR}reference/references.json`, 'utf8')) as {
  nets: Record<string, { input: Blob & { blob: string }; outputs: Record<string, Blob> }>;
};
const f32 = (file: string) => {
  const b = readFileSync(`${MTCNN_DIR}reference/${file}`);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

const BACKENDS = [
  { label: 'cpu', backend: cpuBackend },
  { label: 'simd', backend: simdBackend },
  { label: 'simd without relaxed SIMD', backend: createSimdBackend({ relaxed: false }) },
];

describe.each(BACKENDS)('MTCNN reproduces OpenCV to 1e-4 ($label backend)', ({ backend }) => {
  for (const [net, ref] of Object.entries(refs.nets)) {
    for (const optimize of [true, false]) {
      it(`${net} (batch ${ref.input.shape[0]}, passes ${optimize ? 'on' : 'off'})`, async () => {
        const graph = await loadCaffe(`${MTCNN_DIR}${net}.prototxt`, `${MTCNN_DIR}${net}.caffemodel`);
        const model = compile(graph, { inputShapes: { [ref.input.blob]: ref.input.shape }, optimize, backend });
        const outputs = model.run({ [ref.input.blob]: f32(ref.input.file) });
        for (const [name, blob] of Object.entries(ref.outputs)) {
          expect(model.shapes.get(name), name).toEqual(blob.shape);
          const want = f32(blob.file);
          const got = outputs[name];
          let max = 0;
          for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
          expect(max, `${net}/${name} max abs error`).toBeLessThanOrEqual(1e-4);
        }
      });
    }
  }
});

describe('MtcnnNet.runBatched', () => {
  it('runs full batches, then the rest in one batch of the next power of two; each item as alone', async () => {
    const graph = await loadCaffe(`${MTCNN_DIR}det2.prototxt`, `${MTCNN_DIR}det2.caffemodel`);
    const net = new MtcnnNet(graph, ['prob1'], simdBackend);
    const item = [3, 24, 24];
    const size = 3 * 24 * 24;
    const inputs = Array.from({ length: 21 }, (_, i) => Float32Array.from({ length: size }, (_, k) => Math.sin(i * 7.1 + k * 0.37)));
    const shapes: number[] = [];
    const run = net.run.bind(net);
    net.run = (shape, fill) => { shapes.push(shape[0]); return run(shape, fill); };
    const got: number[][] = [];
    net.runBatched(inputs.length, item, 8, (i, input, offset) => input.set(inputs[i], offset), (i, outputs, j) => {
      got[i] = [...outputs.prob1.subarray(2 * j, 2 * j + 2)];
    });
    expect(shapes).toEqual([8, 8, 8]); // 8 + 8 + 5 in a batch of 8
    shapes.length = 0;
    net.runBatched(3, item, 8, (i, input, offset) => input.set(inputs[i], offset), () => {});
    expect(shapes).toEqual([4]);
    for (const [i, input] of inputs.entries()) {
      const alone = net.run([1, ...item], (x) => x.set(input)).prob1;
      expect(got[i][0]).toBeCloseTo(alone[0], 6);
      expect(got[i][1]).toBeCloseTo(alone[1], 6);
    }
  });
});

describe('batch invariance (simd): an item gives the same bits in any batch', () => {
  // What lets the detector batch candidates as it likes, and share them with a second thread.
  for (const [net, item, batches] of [['det2', [3, 24, 24], [1, 4, 64]], ['det3', [3, 48, 48], [1, 2, 16]], ['det4', [15, 24, 24], [1, 2, 8]]] as const) {
    it(`${net}: batches of ${batches.join(', ')}`, async () => {
      const graph = await loadCaffe(`${MTCNN_DIR}${net}.prototxt`, `${MTCNN_DIR}${net}.caffemodel`);
      const size = item.reduce((a, b) => a * b, 1);
      const input = Float32Array.from({ length: size }, (_, k) => Math.sin(k * 0.37) + 0.3 * Math.cos(k * 0.011));
      const outputsAt = (batch: number) => {
        const model = compile(graph, { inputShapes: { [graph.inputs[0].name]: [batch, ...item] }, backend: simdBackend });
        const x = new Float32Array(batch * size);
        for (let j = 0; j < batch; j++) x.set(input.map((v, k) => v * (1 + 0.1 * j) + 0.01 * ((k + j) % 7)), j * size);
        x.set(input, (batch - 1) * size); // the item, last in its batch
        const outputs = model.run({ [graph.inputs[0].name]: x });
        return graph.outputs.map((name) => { const o = outputs[name]; const per = o.length / batch; return Array.from(o.subarray((batch - 1) * per, batch * per)); });
      };
      const alone = outputsAt(1);
      for (const batch of batches.slice(1)) expect(outputsAt(batch), `batch ${batch}`).toEqual(alone);
    });
  }
});

describe('a net\'s shapes sharing one memory (MemoryShare, simd)', () => {
  it('runs in any order give what each shape gives alone, bit for bit; a larger shape later gets a memory of its own', async () => {
    const graph = await loadCaffe(`${MTCNN_DIR}det1.prototxt`, `${MTCNN_DIR}det1.caffemodel`);
    const share = new MemoryShare();
    const shapes = [[1, 3, 40, 33], [1, 3, 24, 24], [1, 3, 97, 80], [1, 3, 25, 13]];
    const shared = shapes.map((shape) => compile(graph, { inputShapes: { data: shape }, backend: simdBackend, share }));
    const alone = shapes.map((shape) => compile(graph, { inputShapes: { data: shape }, backend: simdBackend }));
    const input = (shape: number[], seed: number) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => Math.sin(seed + k * 0.61));
    for (const [round, i] of [0, 1, 0, 2, 3, 1, 2, 0, 3].entries()) {
      const x = input(shapes[i], round);
      const got = shared[i].run({ data: x });
      const want = alone[i].run({ data: x });
      for (const name of Object.keys(want)) expect(got[name], `shape ${shapes[i]} round ${round} ${name}`).toEqual(want[name]);
    }
    const bufferOf = (model: (typeof shared)[number]) => model.value('data').buffer;
    expect(bufferOf(shared[1])).toBe(bufferOf(shared[0])); // smaller: the same memory
    expect(bufferOf(shared[2])).not.toBe(bufferOf(shared[0])); // larger: a new one
    expect(bufferOf(shared[3])).toBe(bufferOf(shared[2])); // and the shapes after it share that
  });
});

// The child process of rmnet.test.ts (bundled by esbuild as CommonJS, run by node): embeds
// reference faces on one device, in a process of its own so that its memory is the device's
// alone, and prints one JSON line: each face's cosine to its published embedding, the time per
// image of the first run (gpu.js compiles the kernels then) and of the fastest later run, and
// the process's memory.
//   argv: device, batch, runs per batch, then the faces (indices into FACES), a batch at a time.
// (CommonJS, not an ES module on stdin: gpu.js's worker threads evaluate CommonJS source and
// would inherit node's --input-type=module.)

import { compile } from '../../engine/compile.js';
import { backendFor, type Device } from '../../engine/devices.js';
import { loadCaffe } from '../../importer/caffe/index.js';
import { FACES, publishedEmbeddings, referenceInput, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from '../helpers/shared.js';

const IMAGE = 3 * 128 * 128;

async function main(device: Device, batch: number, runs: number, faces: number[]): Promise<void> {
  const graph = await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL);
  const model = compile(graph, { batch, backend: await backendFor(device) });
  const published = publishedEmbeddings();
  const cosines: Record<string, number> = {};
  const times: number[] = [];
  for (let start = 0; start < faces.length; start += batch) {
    const group = faces.slice(start, start + batch);
    const input = new Float32Array(batch * IMAGE);
    group.forEach((f, n) => input.set(referenceInput(FACES[f]), n * IMAGE));
    let out: Float32Array = new Float32Array(0);
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      out = (await model.runAsync({ [graph.inputs[0].name]: input }))[graph.outputs[0]];
      times.push((performance.now() - t) / batch);
    }
    group.forEach((f, n) => {
      const e = out.subarray(n * 128, (n + 1) * 128);
      const norm = Math.hypot(...e);
      cosines[FACES[f]] = e.reduce((s, v, k) => s + (v / norm) * published[f][k], 0);
    });
  }
  console.log(JSON.stringify({
    device, batch, cosines,
    firstMsPerImage: times[0],
    msPerImage: Math.min(...times.slice(1)),
    rssMB: process.memoryUsage().rss / 2 ** 20,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }));
}

const [device, batch, runs, ...faces] = process.argv.slice(2);
main(device as Device, Number(batch), Number(runs), faces.map(Number)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// `facereid convert --to onnx`, and the IR through every command that takes a model.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { formatNpy, parseNpy } from '../io/npy.js';
import { cosine, Embedder } from '../rmnet/embedder.js';
import { FACES, facePath, MODELS, referenceInput, RMNET_DIR, RMNET_PROTOTXT } from './helpers/shared.js';

const CLI = new URL('../dist/bin/main.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'facereid-convert-'));
const IR = `${RMNET_DIR}FP32/face-reidentification-retail-0001.xml`;
const facereid = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('facereid convert --to onnx', () => {
  it('onnxruntime runs the exported RMNet and reproduces the engine (cosine >= 0.99999), batch 1 and 3', async () => {
    const out = join(tmp, 'rmnet.onnx');
    const r = facereid('convert', '--models', MODELS, '--to', 'onnx', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const session = await ort.InferenceSession.create(readFileSync(out));
    const embedder = await Embedder.load({ models: MODELS });
    for (const names of [[FACES[0]], [FACES[1], FACES[4], FACES[8]]]) {
      const input = new Float32Array(names.length * 3 * 128 * 128);
      names.forEach((name, i) => input.set(referenceInput(name), i * 3 * 128 * 128));
      const result = await session.run({ data: new ort.Tensor('float32', input, [names.length, 3, 128, 128]) });
      const onnx = result[session.outputNames[0]].data as Float32Array;
      const ours = await embedder.embedTensor(input, names.length);
      names.forEach((name, i) => {
        const c = cosine(onnx.subarray(i * 128, (i + 1) * 128), ours[i]);
        expect(c, `${name}: cosine ${c}`).toBeGreaterThanOrEqual(0.99999);
      });
    }
  });

  it('refuses an unknown target', () => {
    const r = facereid('convert', '--models', MODELS, '--to', 'tflite', '--out', join(tmp, 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/option '--to <FORMAT>' argument 'tflite' is invalid\. Allowed choices are onnx/);
  });
});

describe('the OpenVINO IR through the commands', () => {
  it('embed with --model .xml gives the Caffe model\'s embeddings', async () => {
    const r = facereid('embed', '--no-detect', '--model', IR, facePath('2_0'));
    expect(r.status, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout) as { embedding: number[] }[];
    const caffe = await (await Embedder.load({ model: RMNET_PROTOTXT })).embed(facePath('2_0'));
    expect(cosine(row.embedding, caffe)).toBeGreaterThan(0.99999);
  });

  it('compare with --model .xml', () => {
    const r = facereid('compare', '--model', IR, '--json', facePath('0_0'), facePath('0_2'));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).same).toBe(true);
  });

  it('run --all-blobs on the IR writes every value', () => {
    const input = join(tmp, 'face.npy');
    writeFileSync(input, formatNpy([1, 3, 128, 128], referenceInput(FACES[3])));
    const out = join(tmp, 'ir-blobs');
    const r = facereid('run', IR, '--input', `data=${input}`, '--out', out, '--all-blobs');
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files.length).toBeGreaterThan(250);
    expect(parseNpy(readFileSync(join(out, 'ConvNdBackward_447.npy'))).shape).toEqual([1, 128, 1, 1]);
  });

  it('a model file of unknown format', () => {
    const r = facereid('embed', '--model', join(tmp, 'net.onnx'), facePath('0_0'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown model format '\.onnx'/);
  });
});

// The CLI as a user runs it (the built dist/, as `npx facereid` does), including every bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { formatNpy, parseNpy } from '../io/npy.js';
import { cosine, Embedder } from '../rmnet/embedder.js';
import { FacePipeline } from '../rmnet/pipeline.js';
import { FACES, facePath, MODELS, MTCNN_DIR, publishedEmbeddings, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from './helpers/shared.js';

const CLI = new URL('../dist/bin/main.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'facereid-cli-'));

function facereid(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A failure: exit 2, one clear line on stderr, no stack trace. */
function expectError(result: ReturnType<typeof facereid>, ...fragments: (string | RegExp)[]) {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^facereid: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const f of fragments) expect(result.stderr).toMatch(f);
}

const file = (name: string, content: string | Uint8Array) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, k) => Math.abs(v - b[k])));

describe('facereid embed / compare', () => {
  it('embed --no-detect on the 9 reference photos reproduces the published embeddings (cosine >= 0.9999), as the library does', async () => {
    const files = FACES.map(facePath);
    const r = facereid('embed', '--no-detect', ...files);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { file: string; embedding: number[] }[];
    expect(rows.map((row) => Object.keys(row))).toEqual(files.map(() => ['file', 'embedding']));
    expect(rows.map((row) => row.file)).toEqual(files);
    const published = publishedEmbeddings();
    const lib = await (await Embedder.load()).embedMany(files);
    rows.forEach((row, i) => {
      expect(cosine(row.embedding, published[i]), FACES[i]).toBeGreaterThanOrEqual(0.9999);
      expect(maxDifference(row.embedding, lib[i])).toBeLessThan(1e-7);
    });
  });

  it('embed detects by default: the largest face, aligned and flip-averaged, as FacePipeline.face gives it; --all-faces gives every face', async () => {
    const files = [facePath('0_0'), `${MTCNN_DIR}test1.jpg`];
    const r = facereid('embed', ...files);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { file: string; box: { width: number }; landmarks: number[][]; score: number; embedding: number[] }[];
    expect(rows.map((row) => Object.keys(row))).toEqual(files.map(() => ['file', 'box', 'landmarks', 'score', 'embedding']));
    const pipeline = await FacePipeline.load();
    expect(pipeline.embedder.flip).toBe(true);
    for (const [i, file] of files.entries()) {
      const face = await pipeline.face(file);
      expect(rows[i].landmarks).toHaveLength(5);
      expect(rows[i].box.width).toBeCloseTo(face.box.width, 1);
      expect(maxDifference(rows[i].embedding, face.embedding)).toBeLessThan(1e-7);
    }
    const all = facereid('embed', '--all-faces', `${MTCNN_DIR}test1.jpg`);
    expect(all.status, all.stderr).toBe(0);
    const [photo] = JSON.parse(all.stdout) as { file: string; faces: { box: object; embedding: number[] }[] }[];
    expect(photo.faces).toHaveLength(2);
    expect(photo.faces.map((f) => f.embedding.length)).toEqual([128, 128]);
    expectError(facereid('embed', '--all-faces', '--no-detect', facePath('0_0')), /--all-faces.*cannot be used with.*--no-detect/);
  });

  it('--min-face: the detector seeks no face smaller, as FacePipeline does with minFaceSize; refused with --no-detect', async () => {
    const photo = `${MTCNN_DIR}test1.jpg`; // two faces of about 60 x 80 pixels
    const pipeline = await FacePipeline.load();
    for (const minFace of [40, 200]) {
      const r = facereid('embed', '--all-faces', '--min-face', String(minFace), photo);
      expect(r.status, r.stderr).toBe(0);
      const [{ faces }] = JSON.parse(r.stdout) as { faces: { box: { width: number }; embedding: number[] }[] }[];
      const want = (await pipeline.faces(photo, { minFaceSize: minFace })).faces;
      expect(faces.map((f) => f.box.width), `--min-face ${minFace}`).toEqual(want.map((f) => Math.round(f.box.width * 10) / 10));
      faces.forEach((f, i) => expect(maxDifference(f.embedding, want[i].embedding)).toBeLessThan(1e-7));
    }
    expectError(facereid('embed', '--min-face', '200', photo), /test1\.jpg: no face found/);
    expectError(facereid('compare', '--no-detect', '--min-face', '40', photo, photo), /--min-face.*cannot be used with.*--no-detect/);
    expectError(facereid('identify', '--gallery', 'g.json', '--min-face', '5', photo), /--min-face <PX>' argument '5' is invalid\. expected a number from 12 to 10000/);
  });

  it('compare: same person scores higher than different people; exit 0 for same, 1 for different', () => {
    const same = facereid('compare', '--no-detect', '--models', MODELS, '--json', facePath('1_0'), facePath('1_2'));
    const different = facereid('compare', '--no-detect', '--models', MODELS, '--json', facePath('1_0'), facePath('2_2'));
    expect(same.status, same.stderr).toBe(0);
    expect(different.status, different.stderr).toBe(1);
    const a = JSON.parse(same.stdout);
    const b = JSON.parse(different.stdout);
    expect(a.same).toBe(true);
    expect(b.same).toBe(false);
    expect(a.cosine).toBeGreaterThan(b.cosine);
    expect([a.threshold, b.threshold]).toEqual([0.5, 0.5]);
    const text = facereid('compare', '--models', MODELS, '--threshold', '0.99', facePath('1_0'), facePath('1_2'));
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^cosine 0\.\d{4}: different people \(threshold 0\.99\)/);
  });

  it('--threads 2 gives what one thread gives; other counts are refused', () => {
    const photos = [`${MTCNN_DIR}test1.jpg`, `${MTCNN_DIR}test2.jpg`];
    const one = facereid('embed', '--models', MODELS, '--all-faces', ...photos);
    const two = facereid('embed', '--models', MODELS, '--all-faces', '--threads', '2', ...photos);
    expect([one.status, two.status], two.stderr).toEqual([0, 0]);
    expect(two.stdout).toBe(one.stdout);
    const crops = [facePath('1_0'), facePath('1_2'), facePath('2_2')];
    expect(facereid('embed', '--no-detect', '--models', MODELS, '--threads', '2', ...crops).stdout)
      .toBe(facereid('embed', '--no-detect', '--models', MODELS, ...crops).stdout);
    expectError(facereid('embed', '--threads', '3', 'a.jpg'), /^facereid: option '--threads <N>' argument '3' is invalid\. expected a whole number from 1 to 2; see facereid embed --help\n$/);
  });

  it('demo runs on the reference faces', () => {
    const r = facereid('demo', '--models', MODELS);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0_0\.jpg\s+0\s+0\.9999/);
  });
});

describe('facereid run', () => {
  const f32 = (name: string) => {
    const b = readFileSync(`${MTCNN_DIR}reference/${name}`);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };

  it('runs MTCNN det1 at the .npy\'s size and writes its outputs', () => {
    const input = file('det1-in.npy', formatNpy([1, 3, 103, 135], f32('det1.input.f32')));
    const out = join(tmp, 'det1');
    const r = facereid('run', `${MTCNN_DIR}det1.prototxt`, `${MTCNN_DIR}det1.caffemodel`, '--input', `data=${input}`, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['conv4-2.npy', 'prob1.npy']);
    const prob = parseNpy(readFileSync(join(out, 'prob1.npy')));
    expect(prob.shape).toEqual([1, 2, 47, 63]);
    const want = f32('det1.prob1.f32');
    expect(Math.max(...prob.data.map((v, i) => Math.abs(v - want[i])))).toBeLessThan(1e-4);
  });

  it('--all-blobs writes every value, batch taken from the input', () => {
    const input = file('det3-in.npy', formatNpy([2, 3, 48, 48], f32('det3.input.f32')));
    const out = join(tmp, 'det3');
    const r = facereid('run', `${MTCNN_DIR}det3.prototxt`, `${MTCNN_DIR}det3.caffemodel`, '--input', `data=${input}`, '--out', out, '--all-blobs');
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files).toContain('conv1.npy');
    expect(files).toContain('prob1.npy');
    expect(files.length).toBeGreaterThan(15);
    expect(parseNpy(readFileSync(join(out, 'conv6-3.npy'))).shape).toEqual([2, 10]);
  });
});

describe('bad input: one clear message and exit 2', () => {
  const prototxt = readFileSync(RMNET_PROTOTXT, 'utf8');
  const caffemodel = readFileSync(RMNET_CAFFEMODEL);
  const input = () => file('x.npy', formatNpy([1, 3, 128, 128], new Float32Array(3 * 128 * 128)));
  const runNet = (proto: string, weights: string, npy = input()) =>
    facereid('run', proto, weights, '--input', `data=${npy}`, '--out', join(tmp, 'out'));

  it('truncated caffemodel', () => {
    const weights = file('trunc.caffemodel', caffemodel.subarray(0, Math.floor(caffemodel.length * 0.6)));
    expectError(runNet(RMNET_PROTOTXT, weights), /trunc\.caffemodel/, /offset|truncated/i);
  });

  it('random bytes as caffemodel', () => {
    let seed = 7;
    const bytes = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    expectError(runNet(RMNET_PROTOTXT, file('random.caffemodel', bytes)), /random\.caffemodel/);
  });

  it('prototxt syntax error names line:column', () => {
    const proto = file('syntax.prototxt', prototxt.replace('num_output: 32', 'num_output: 32 }}'));
    expectError(runNet(proto, RMNET_CAFFEMODEL), /syntax\.prototxt:\d+:\d+/);
  });

  it('unknown layer type names the layer and the type', () => {
    const proto = file('unknown.prototxt', prototxt.replace('type: "ELU"', 'type: "Swish"'));
    expectError(runNet(proto, RMNET_CAFFEMODEL), /Swish/, /EluBackward|layer/);
  });

  it('a blob of the wrong size names the layer and both sizes', () => {
    const proto = file('size.prototxt', prototxt.replace('num_output: 32', 'num_output: 16'));
    expectError(runNet(proto, RMNET_CAFFEMODEL), /ConvNdBackward_2/, /864/, /432/);
  });

  it('missing model file lists every place tried', () => {
    const r = facereid('embed', '--models', join(tmp, 'nowhere'), facePath('0_0'));
    expectError(r, /not found/, /nowhere/);
    expectError(runNet(join(tmp, 'missing.prototxt'), RMNET_CAFFEMODEL), /missing\.prototxt/);
  });

  it('a file that is not an image', () => {
    expectError(facereid('embed', '--models', MODELS, file('notes.jpg', 'hello, not a picture')), /notes\.jpg/, /not a JPEG or PNG/);
  });

  it('an image smaller than 2x2', () => {
    const png = encodePng({ width: 1, height: 1, data: new Uint8Array([1, 2, 3]), channels: 3, depth: 8 });
    expectError(facereid('embed', '--models', MODELS, file('tiny.png', png)), /tiny\.png/, /1x1/);
  });

  it('an .npy with the wrong dtype or shape', () => {
    // A float64 .npy, written by hand: magic, version 1.0, header length, header, data.
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3, 128, 128), }";
    const headerText = dict.padEnd(128 - 10 - 1, ' ') + '\n';
    const bad = new Uint8Array(128 + 8 * 3 * 128 * 128);
    bad.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, headerText.length & 0xff, headerText.length >> 8]);
    bad.set(new TextEncoder().encode(headerText), 10);
    expectError(runNet(RMNET_PROTOTXT, RMNET_CAFFEMODEL, file('f8.npy', bad)), /f8\.npy/, /<f8/);
    const wrongShape = file('shape.npy', formatNpy([1, 4, 128, 128], new Float32Array(4 * 128 * 128)));
    expectError(runNet(RMNET_PROTOTXT, RMNET_CAFFEMODEL, wrongShape), /shape\.npy/, /\[1,4,128,128\]/);
  });

  it('unknown command and bad options', () => {
    expectError(facereid('frobnicate'), /unknown command 'frobnicate'/);
    expectError(facereid('compare', '--threshold', 'abc', facePath('0_0'), facePath('0_1')), /--threshold/);
  });
});

describe('a command line that explains itself', () => {
  const COMMANDS = ['compare', 'embed', 'enroll', 'identify', 'demo', 'inspect', 'profile', 'run', 'convert', 'eval'];

  it('--help and -h on the tool list every command; --version prints the package version', () => {
    for (const flag of ['--help', '-h']) {
      const r = facereid(flag);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: facereid \[options\] \[command\]/);
      for (const command of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    expect(facereid('--version')).toMatchObject({ status: 0, stdout: `${version}\n` });
    const none = facereid();
    expect(none.status).toBe(2);
    expect(none.stdout).toMatch(/^Usage: facereid/);
  });

  it('--help and -h on every command: its options with their defaults, and an example', () => {
    for (const command of COMMANDS) {
      for (const r of [facereid(command, '--help'), facereid(command, '-h'), facereid('help', command)]) {
        expect(r.status, `${command}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: facereid ${command} `));
        expect(r.stdout, command).toMatch(/\nOptions:\n/);
        expect(r.stdout, command).toMatch(/\nExamples:\n  facereid /);
      }
    }
    const compare = facereid('compare', '--help').stdout.replace(/\s+/g, ' ');
    expect(compare).toMatch(/--threshold <T> .*\(default: 0\.34; 0\.5 with --no-detect\)/);
    expect(compare).toMatch(/--device <D> .*choices: "cpu", "simd", .*default: "simd"/);
    expect(compare).toMatch(/--no-detect /);
    expect(compare).toMatch(/--flip .*--no-flip /);
    expect(facereid('profile', '--help').stdout.replace(/\s+/g, ' ')).toMatch(/--runs <N> timed runs \(default: 20\)/);
  });

  it('suggests the command or option meant', () => {
    expectError(facereid('compre', 'a.jpg', 'b.jpg'), /^facereid: unknown command 'compre' \(did you mean compare\?\); see facereid --help\n$/);
    expectError(facereid('compare', '--treshold', '0.4', 'a.jpg', 'b.jpg'),
      /^facereid: unknown option '--treshold' \(did you mean --threshold\?\); see facereid compare --help\n$/);
  });

  it('refuses option values out of range or not among the choices, in one line, exit 2', () => {
    expectError(facereid('compare', '--threshold', '5', 'a.jpg', 'b.jpg'), /^facereid: option '--threshold <T>' argument '5' is invalid\. expected a number from -1 to 1; see facereid compare --help\n$/);
    expectError(facereid('embed', '--device', 'nope', 'a.jpg'), /argument 'nope' is invalid\. Allowed choices are cpu, simd, gpujs-webasm, gpujs-cpu, webgl2, webgl, webgpu; see/);
    expectError(facereid('profile', '--runs', '0'), /--runs <N>' argument '0' is invalid\. expected a whole number from 1 to/);
    expectError(facereid('profile', '--clock', 'sundial'), /Allowed choices are wall, cpu/);
    expectError(facereid('compare', 'a.jpg'), /missing required argument 'b'/);
    expectError(facereid('compare', 'a.jpg', 'b.jpg', 'c.jpg'), /too many arguments/);
    expectError(facereid('identify', 'a.jpg'), /required option '--gallery <FILE>' not specified/);
  });
});

describe('the library agrees with itself across inputs', () => {
  it('cosine is symmetric and 1 on itself', async () => {
    const e = await (await Embedder.load({ models: MODELS })).embed(facePath('0_1'));
    expect(cosine(e, e)).toBeCloseTo(1, 6);
  });
});

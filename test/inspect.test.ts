// `facereid inspect`: exact parameter and MAC counts, the residual-block grouping, what the passes
// did and the memory plan — for RMNet from Caffe and from the IR, and for a net without blocks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspection } from '../cli/inspect.js';
import { compile } from '../engine/compile.js';
import { loadModel } from '../importer/index.js';
import { facePath, MTCNN_DIR, RMNET_DIR, RMNET_PROTOTXT } from './helpers/shared.js';

const CLI = new URL('../dist/bin/main.js', import.meta.url).pathname;
const RMNET_IR = `${RMNET_DIR}FP32/face-reidentification-retail-0001.xml`;

function facereid(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inspectModel(model: string, batch?: number) {
  const imported = await loadModel({ model });
  return inspection(imported, compile(imported, { batch }));
}

type Report = Awaited<ReturnType<typeof inspectModel>>;

/** Each key of a list of objects with the JSON type(s) of its values. */
function keyTypes(objects: object[]): Record<string, string> {
  const types: Record<string, Set<string>> = {};
  for (const o of objects) {
    for (const [key, value] of Object.entries(o)) {
      (types[key] ??= new Set()).add(Array.isArray(value) ? 'array' : typeof value);
    }
  }
  return Object.fromEntries(Object.entries(types).map(([key, set]) => [key, [...set].sort().join('|')]));
}

/** What the golden file pins: the JSON's shape, the layer sequence by block, the totals — no timings, no weights. */
function structure(report: Report) {
  return {
    keys: {
      top: keyTypes([report]), layer: keyTypes(report.layers), block: keyTypes(report.blocks), stage: keyTypes(report.stages),
      totals: keyTypes([report.totals]), pass: keyTypes(report.passes), memory: keyTypes([report.memory]),
    },
    layers: report.layers.length,
    totals: { params: report.totals.params, convMacs: report.totals.convMacs },
    passes: report.passes.map((p) => `${p.pass}: ${p.changes}`),
    blocks: report.blocks.map((b) => `${b.stage} / ${b.name} → [${b.output.join(',')}]: ` +
      report.layers.filter((l) => l.block === b.name).map((l) => l.label).join(', ')),
  };
}

describe('inspect: counts on the optimised graph', () => {
  it.each([['Caffe', RMNET_PROTOTXT], ['FP32 IR', RMNET_IR]])('RMNet from %s: 589,750 parameters, 92,266,496 conv MACs, ≈ 0.19 GFLOPs', async (_, model) => {
    const { totals, layers, blocks } = await inspectModel(model);
    expect(totals.params).toBe(589_750);
    expect(totals.convMacs).toBe(92_266_496);
    expect(totals.macs).toBe(92_266_496);
    expect(totals.gflops.toFixed(2)).toBe('0.19');
    expect(layers).toHaveLength(154);
    expect(blocks.filter((b) => b.residual).map((b) => b.stage)).toEqual(
      [4, 9, 11, 12].flatMap((n, s) => Array(n).fill(`stage ${s + 1}`)));
    expect(blocks.filter((b) => !b.residual).map((b) => b.name)).toEqual(['stem', 'head']);
  });

  it('batch N multiplies the MACs, not the parameters', async () => {
    const { totals, layers } = await inspectModel(RMNET_PROTOTXT, 3);
    expect(totals.params).toBe(589_750);
    expect(totals.convMacs).toBe(3 * 92_266_496);
    expect(layers[0].inputs).toEqual([[3, 3, 128, 128]]);
  });

  it('reports what each pass did, node counts and the memory plan', async () => {
    const { passes, nodes, memory } = await inspectModel(RMNET_PROTOTXT);
    expect(passes.map((p) => [p.pass, p.changes])).toEqual(
      [['drop-identities', 36], ['batchnorm-to-scale', 113], ['fold-scale', 225], ['fuse-activations', 109]]);
    expect(passes.map((p) => p.byOp)).toEqual([{ Dropout: 36 }, { BatchNorm: 113 }, { Scale: 225 }, { Elu: 108, Relu: 1 }]);
    // Every pass but batchnorm-to-scale (which rewrites in place) removes one node per change.
    expect(nodes).toEqual({ imported: 154 + 36 + 225 + 109, optimised: 154 });
    expect(memory.values).toBe(155);
    expect(memory.arenaBytes).toBe(4 * memory.arenaFloats);
    // The plan reuses memory: the arena is a fraction of all values side by side.
    expect(memory.arenaBytes).toBeLessThan(memory.withoutReuseBytes / 4);
  });

  it('MTCNN det1 (no residual blocks): one group "layers", PReLU fused', async () => {
    const { blocks, layers, totals } = await inspectModel(`${MTCNN_DIR}det1.prototxt`);
    expect(blocks.map((b) => [b.name, b.layers])).toEqual([['layers', 7]]);
    expect(layers.map((l) => l.label)).toEqual(
      ['Conv 3x3+PReLU', 'MaxPool 2x2 s2', 'Conv 3x3+PReLU', 'Conv 3x3+PReLU', 'Conv 1x1', 'Conv 1x1', 'Softmax']);
    expect(totals.params).toBe(6632);
  });
});

describe('facereid inspect', () => {
  it('--json: the structure matches the golden file', async () => {
    const r = facereid('inspect', RMNET_PROTOTXT, '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    await expect(`${JSON.stringify(structure(report), null, 1)}\n`).toMatchFileSnapshot('golden/inspect-structure.json');
  });

  it('prints layers under block headers, subtotals, totals, the GFLOPs note, passes and memory', () => {
    const r = facereid('inspect', RMNET_IR);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^stage 2: 9 residual blocks, output \[1,64,32,32\]$/m);
    expect(r.stdout).toMatch(/^ {2}s2\.b1 \(residual block\)$/m);
    expect(r.stdout).toMatch(/ConvNdBackward_56 +Conv dw3x3 s2\+ELU +\[1,16,64,64\] +\[1,16,32,32\] +160 +147,456$/m);
    expect(r.stdout).toMatch(/^= total +589,750 +92,266,496$/m);
    expect(r.stdout).toMatch(/^GFLOPs = 2 × MACs \+ elementwise ops/m);
    expect(r.stdout).toMatch(/= 2 × 0\.0923 G \+ 0\.00752 G = 0\.185 G \+ 0\.00752 G = 0\.192 G ≈ 0\.19 GFLOPs \(what a model card gives as GFlops\)/);
    expect(r.stdout).not.toMatch(/G MACs/);
    expect(r.stdout).toMatch(/^ {2}fuse-activations +109 +\(1 Relu, 108 Elu\)$/m);
    expect(r.stdout).toMatch(/^memory plan: 155 values in one arena of [\d,]+ floats/m);
  });

  it('MTCNN det1 prints its layers and totals', () => {
    const r = facereid('inspect', `${MTCNN_DIR}det1.prototxt`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PNet on simd: input data \[1,3,12,12\]/);
    expect(r.stdout).toMatch(/^= total +6,632 +44,760$/m);
  });

  it('--activations IMAGE --out DIR also writes the pictures and lists them', () => {
    const out = mkdtempSync(join(tmpdir(), 'facereid-inspect-'));
    const r = facereid('inspect', RMNET_PROTOTXT, '--activations', facePath('0_0'), '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const { pictures, totals } = JSON.parse(r.stdout) as { pictures: string[]; totals: { params: number } };
    expect(totals.params).toBe(589_750);
    expect(pictures.length).toBeGreaterThan(0);
    expect(readdirSync(out).sort()).toEqual(pictures.map((file) => basename(file)).sort());
  });

  it('a bad model or bad options: exit 2 and one clear line', () => {
    const missing = facereid('inspect', '/nonexistent/net.prototxt');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('facereid: cannot read Caffe prototxt /nonexistent/net.prototxt: no such file\n');
    const batch = facereid('inspect', '--batch', '0');
    expect(batch.status).toBe(2);
    expect(batch.stderr).toMatch(/^facereid: option '--batch <N>' argument '0' is invalid\. expected a whole number from 1 to 4096; see facereid inspect --help\n$/);
    const pictures = facereid('inspect', RMNET_PROTOTXT, '--activations', 'face.jpg');
    expect(pictures.status).toBe(2);
    expect(pictures.stderr).toBe('facereid: --activations IMAGE and --out DIR go together\n');
  });
});

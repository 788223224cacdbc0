import type { Command } from 'commander';
import type { CompiledModel } from '../engine/compile.js';
import { formatShape, sizeOf, type Graph, type Shape } from '../engine/graph/graph.js';
import { OP_NAMES } from '../engine/graph/ops.js';
import { flops, fusedActivation, layerCost, opLabel, sumCosts, type LayerCost } from '../engine/stats.js';
import { groupLayers } from '../rmnet/blocks.js';
import { writeInspectPictures } from '../viz/index.js';
import { count, formatTable, type Row } from './table.js';
import { examples, loadCompiled, MODEL_ARGUMENT, numberIn, withModelOptions, type ModelFlags } from './options.js';
import { UsageError } from './usage.js';

/** Each pass's rewrites by op: a change line names the op it rewrote first ("fused Elu 'x' into Conv 'y'"). */
function byOp(changes: string[]): Record<string, number> {
  const ops: Record<string, number> = {};
  for (const line of changes) {
    const op = line.split(' ').find((word) => (OP_NAMES as readonly string[]).includes(word)) ?? 'other';
    ops[op] = (ops[op] ?? 0) + 1;
  }
  return ops;
}

/** Everything `inspect --json` prints. */
export function inspection(imported: Graph, net: CompiledModel) {
  const { graph, shapes, memory } = net;
  const shapeOf = (name: string) => shapes.get(name)!;
  const groups = groupLayers(graph, shapes);
  const groupOf = new Map(groups.flatMap((g) => g.nodes.map((i) => [i, g] as const)));
  const layers = graph.nodes.map((node, i) => ({
    name: node.name, op: node.op, label: opLabel(node), activation: fusedActivation(node),
    block: groupOf.get(i)!.name, stage: groupOf.get(i)!.stage,
    inputs: node.inputs.map(shapeOf), outputs: node.outputs.map(shapeOf), ...layerCost(node, shapes),
  }));
  const blocks = groups.map((g) => ({
    name: g.name, stage: g.stage, residual: g.residual, layers: g.nodes.length,
    output: layers[g.nodes[g.nodes.length - 1]].outputs[0], ...sumCosts(g.nodes.map((i) => layers[i])),
  }));
  const stageNames = [...new Set(blocks.map((b) => b.stage))];
  const stages = stageNames.map((stage) => {
    const inStage = blocks.filter((b) => b.stage === stage);
    return { name: stage, blocks: inStage.length, ...sumCosts(inStage) };
  });
  const total = sumCosts(layers);
  const convMacs = layers.reduce((sum, l) => sum + (l.op === 'Conv' ? l.macs : 0), 0);
  const allValues = [...shapes.values()].reduce((sum, s) => sum + sizeOf(s), 0);
  return {
    model: graph.name,
    device: net.backend.name,
    input: graph.inputs.map((i) => ({ name: i.name, shape: shapeOf(i.name) })),
    outputs: graph.outputs.map((name) => ({ name, shape: shapeOf(name) })),
    layers, blocks, stages,
    totals: { ...total, convMacs, gflops: flops(total) / 1e9 },
    passes: net.report.map((r) => ({ pass: r.pass, changes: r.changes.length, byOp: byOp(r.changes), examples: r.changes.slice(0, 2) })),
    nodes: { imported: imported.nodes.length, optimised: graph.nodes.length },
    memory: { values: memory.offsets.size, arenaFloats: memory.length, arenaBytes: 4 * memory.length, withoutReuseBytes: 4 * allValues },
  };
}

type Inspection = ReturnType<typeof inspection>;

/** Several shapes as one cell: `2×[1,32,64,64]` when they agree. */
function shapesCell(list: Shape[]): string {
  const all = list.map(formatShape);
  return all.length > 1 && all.every((s) => s === all[0]) ? `${all.length}×${all[0]}` : all.join(' ');
}

const costCells = (c: LayerCost) => [count(c.params), count(c.macs)];

function layerTable(report: Inspection): string {
  const rows: Row[] = [['layer', 'op', 'input', 'output', 'params', 'MACs']];
  const stageOf = (block: Inspection['blocks'][number]) => report.stages.find((s) => s.name === block.stage)!;
  report.blocks.forEach((block, i) => {
    const [previous, next] = [report.blocks[i - 1], report.blocks[i + 1]];
    if (block.residual && previous?.stage !== block.stage) {
      rows.push(`${block.stage}: ${stageOf(block).blocks} residual blocks, output ${formatShape(block.output)}`);
    }
    rows.push(block.residual ? `  ${block.name} (residual block)` : block.name);
    for (const l of report.layers.filter((layer) => layer.block === block.name)) {
      rows.push([`    ${l.name}`, l.label, shapesCell(l.inputs), shapesCell(l.outputs), ...costCells(l)]);
    }
    rows.push([`    = ${block.name}`, '', '', '', ...costCells(block)]);
    if (block.residual && next?.stage !== block.stage) rows.push([`  = ${block.stage}`, '', '', '', ...costCells(stageOf(block))]);
  });
  rows.push(['= total', '', '', '', ...costCells(report.totals)]);
  return formatTable(rows, 'llllrr');
}

const giga = (n: number, digits = 3) => `${(n / 1e9).toPrecision(digits)} G`;
const bytes = (n: number) => (n < 2 ** 20 ? `${(n / 2 ** 10).toFixed(1)} KiB` : `${(n / 2 ** 20).toFixed(2)} MiB`);

function summary(report: Inspection): string {
  const { totals, memory, nodes } = report;
  const otherMacs = totals.macs - totals.convMacs;
  const passes = report.passes.map((p) => {
    const ops = Object.entries(p.byOp).map(([op, n]) => `${n} ${op}`).join(', ');
    return [`  ${p.pass}`, String(p.changes), ops ? `(${ops})` : ''];
  });
  return [
    `totals: ${count(totals.params)} parameters (${(totals.params / 1e6).toFixed(2)} M); ${count(totals.convMacs)} conv MACs` +
      `${otherMacs ? ` + ${count(otherMacs)} InnerProduct MACs` : ''}; ${count(totals.elementwiseOps)} elementwise ops`,
    `GFLOPs = 2 × MACs + elementwise ops (bias adds, activations, eltwise adds, pooling comparisons, Scale)`,
    `       = 2 × ${giga(totals.macs)} + ${giga(totals.elementwiseOps)} = ${giga(2 * totals.macs)} + ${giga(totals.elementwiseOps)}` +
      ` = ${giga(totals.gflops * 1e9)} ≈ ${giga(totals.gflops * 1e9, 2)}FLOPs (what a model card gives as GFlops)`,
    '',
    `passes: ${nodes.imported} nodes imported, ${nodes.optimised} run`,
    formatTable(passes, 'lrl').trimEnd(),
    '',
    `memory plan: ${memory.values} values in one arena of ${count(memory.arenaFloats)} floats = ${bytes(memory.arenaBytes)}` +
      ` (peak live memory, inputs and outputs included); without reuse ${bytes(memory.withoutReuseBytes)}`,
  ].join('\n') + '\n';
}

interface Flags extends ModelFlags {
  json?: boolean;
  batch: number;
  activations?: string;
  out?: string;
}

export function define(command: Command): Command {
  withModelOptions(command
    .description("A model's layers grouped by RMNet block (op, shapes, parameters, MACs), its totals (parameters, FLOPs), what " +
      'the passes did, and the memory plan, compiled for the device named; with --activations, pictures of every stage.')
    .argument(...MODEL_ARGUMENT), { modelOption: false })
    .option('--batch <N>', 'the batch the memory plan is made for', numberIn(1, 4096, true), 1)
    .option('--json', 'print the whole report as JSON')
    .option('--activations <IMAGE>', 'run the model on IMAGE and draw each stage\'s feature maps (needs --out)')
    .option('--out <DIR>', 'where the pictures go: stage-<k>-<H>x<W>.png and network.svg');
  return examples(command, [
    'facereid inspect                     # the package\'s RMNet',
    'facereid inspect net.prototxt --json',
    'facereid inspect --activations face.jpg --out maps/',
  ]);
}

export async function run(model: string, flags: Flags): Promise<number> {
  if ((flags.activations === undefined) !== (flags.out === undefined)) throw new UsageError('--activations IMAGE and --out DIR go together');
  const { imported, net } = await loadCompiled(model, flags);
  const report = inspection(imported, net);
  const pictures = flags.activations === undefined ? undefined : await writeInspectPictures(imported, flags.activations, flags.out!);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(pictures ? { ...report, pictures } : report)}\n`);
    return 0;
  }
  const io = (list: { name: string; shape: Shape }[]) => list.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ');
  process.stdout.write(`${report.model} on ${report.device}: input ${io(report.input)}; output ${io(report.outputs)}\n\n${layerTable(report)}\n${summary(report)}`);
  if (pictures) process.stdout.write(`\npictures of the activations:\n${pictures.map((file) => `  ${file}\n`).join('')}`);
  return 0;
}

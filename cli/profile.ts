import { Option, type Command } from 'commander';
import { profile as profileModel, type Clock } from '../engine/profile.js';
import { relaxedSimdAvailable } from '../engine/relaxed-simd.js';
import { flops, layerCost, opLabel } from '../engine/stats.js';
import { formatTable, type Row } from './table.js';
import { examples, loadCompiled, MODEL_ARGUMENT, numberIn, withModelOptions, type ModelFlags } from './options.js';

interface Flags extends ModelFlags {
  runs: number;
  warmup: number;
  batch: number;
  clock: Clock;
  json?: boolean;
}

export function define(command: Command): Command {
  withModelOptions(command
    .description('Where the time goes: each layer timed on its own over several runs (median), with the kernel variant and the ' +
      "backend kernel that ran it, and per op type; on the device named (the gpu.js devices run a whole net as one pipeline, so they are refused).")
    .argument(...MODEL_ARGUMENT), { modelOption: false })
    .option('--runs <N>', 'timed runs', numberIn(1, 1e6, true), 20)
    .option('--warmup <N>', 'untimed runs first', numberIn(0, 1e6, true), 3)
    .option('--batch <N>', 'images per run', numberIn(1, 4096, true), 1)
    .addOption(new Option('--clock <CLOCK>', "elapsed time, or this process's CPU time (undisturbed by other processes)").choices(['wall', 'cpu']).default('wall'))
    .option('--json', 'print the profile as JSON');
  return examples(command, [
    'facereid profile                      # the package\'s RMNet on the default device',
    'facereid profile --device cpu --clock cpu --runs 50',
    'facereid profile det1.prototxt --batch 4 --json',
  ]);
}

export async function run(model: string, flags: Flags): Promise<number> {
  const { runs, warmup, clock } = flags;
  const { net } = await loadCompiled(model, flags);
  const result = profileModel(net, { runs, warmup, clock });

  // Shares are of the summed layer medians; GFLOP/s is (2·MACs + elementwise ops) / time.
  const layersMs = result.layers.reduce((sum, l) => sum + l.ms, 0);
  const rate = (work: number, ms: number) => (ms > 0 ? work / ms / 1e6 : 0);
  const work = new Map(result.layers.map(({ node }) => [node, flops(layerCost(node, net.shapes))]));
  const layers = result.layers.map(({ node, variant, runsOn, ms }) => (
    { name: node.name, op: node.op, label: opLabel(node), variant, kernel: runsOn, ms, share: ms / layersMs, gflops: rate(work.get(node)!, ms) }
  )).sort((a, b) => b.ms - a.ms);
  const opTypes = result.opTypes.map((t) => {
    const opWork = result.layers.reduce((sum, { node }) => sum + (node.op === t.op ? work.get(node)! : 0), 0);
    return { ...t, share: t.ms / layersMs, gflops: rate(opWork, t.ms) };
  });
  const batch = net.shapes.get(net.graph.inputs[0].name)![0];
  // The simd backend's choice, or by default whether this engine had relaxed SIMD when the net was compiled.
  const relaxedSimd = net.backend.name === 'simd' && (net.backend.relaxed ?? relaxedSimdAvailable());

  if (flags.json) {
    const summary = { model: net.graph.name, device: net.backend.name, relaxedSimd, batch, runs, warmup, clock, wholeMs: result.wholeMs, layersMs, opTypes, layers };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const ms = (t: number) => t.toFixed(3);
  const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
  const byOp: Row[] = [['op type', 'layers', 'ms', 'share', 'GFLOP/s'],
    ...opTypes.map((t) => [t.op, String(t.layers), ms(t.ms), pct(t.share), t.gflops.toFixed(2)])];
  const byLayer: Row[] = [['layer', 'op', 'kernel', 'ms', 'share', 'GFLOP/s'],
    ...layers.map((l) => [l.name, l.label, `${l.variant} · ${l.kernel}`, ms(l.ms), pct(l.share), l.gflops.toFixed(2)])];
  const busy = clock === 'wall' && Math.abs(layersMs - result.wholeMs) > 0.1 * result.wholeMs
    ? '(they differ: on a busy machine other processes take time from whole runs that per-layer medians leave out; --clock cpu counts only this process)\n'
    : '';
  // conv-winograd does fewer multiplications than the direct sum that `work` counts.
  const effective = layers.some((l) => l.variant === 'conv-winograd')
    ? '\nconv-winograd: GFLOP/s counts the direct sum\'s 2·MACs; Winograd\'s F(2x2, 3x3) multiplies 16 times a 2x2 tile per channel where that sum does 36, so the rate is effective.\n'
    : '';
  process.stdout.write(`${net.graph.name} on ${net.backend.name}${relaxedSimd ? ' (relaxed SIMD)' : ''}, batch ${batch}, ${clock} clock: median of ${runs} runs after ${warmup} warm-up: ` +
    `${ms(result.wholeMs)} ms per run; layers' medians sum to ${ms(layersMs)} ms\n${busy}\n` +
    `${formatTable(byOp, 'lrrrr')}\n${formatTable(byLayer, 'lllrrr')}${effective}`);
  return 0;
}

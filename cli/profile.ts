import { profile as profileModel, type Clock } from '../engine/profile.js';
import { flops, layerCost, opLabel } from '../engine/stats.js';
import { formatTable, type Row } from './table.js';
import { loadCompiled, MODEL_OPTIONS, numberOption, parse } from './usage.js';

/** facereid profile <model> [--runs N] [--warmup N] [--batch N] [--clock wall|cpu] [--device D] [--json]: median time per layer
 *  (with the variant and the backend kernel that ran it) and per op type. */
export async function profile(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: {
    ...MODEL_OPTIONS, runs: { type: 'string' }, warmup: { type: 'string' }, batch: { type: 'string' },
    clock: { type: 'string', default: 'wall' }, json: { type: 'boolean' },
  } });
  const runs = numberOption(values.runs, 'runs', 20);
  const warmup = numberOption(values.warmup, 'warmup', 3);
  const clock = values.clock as Clock;
  const { net } = await loadCompiled('profile', positionals, values);
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

  if (values.json) {
    const summary = { model: net.graph.name, device: net.backend.name, batch, runs, warmup, clock, wholeMs: result.wholeMs, layersMs, opTypes, layers };
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
  process.stdout.write(`${net.graph.name} on ${net.backend.name}, batch ${batch}, ${clock} clock: median of ${runs} runs after ${warmup} warm-up: ` +
    `${ms(result.wholeMs)} ms per run; layers' medians sum to ${ms(layersMs)} ms\n${busy}\n` +
    `${formatTable(byOp, 'lrrrr')}\n${formatTable(byLayer, 'lllrrr')}`);
  return 0;
}

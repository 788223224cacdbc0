// The OpenVINO IR importer: the .xml mutated as text (layers and edges duplicated, dropped,
// reordered, attributes and dims set to interesting numbers) or the .bin as bytes (values flipped
// to NaN or huge, truncated). Seeds: RMNet's FP32 and FP16 IR, whole (one mutant in ten: it
// takes a second to import and run) and cut after its first layers (the .bin cut to their blobs).

import { importOpenVino } from '../../importer/openvino/index.js';
import { FUZZ_LIMITS } from '../limits.js';
import { mutateBytes } from '../mutate/bytes.js';
import { decode, encode, mutateText, type TextFormat } from '../mutate/text.js';
import { readSeed } from '../shared.js';
import { MODEL_ERRORS, runModel } from './model.js';
import { pickSeeds, withFile, type FuzzInput, type Target } from './target.js';

const IR = 'models/face-reidentification-retail-0001/';
const STEM = 'face-reidentification-retail-0001';
const SEEDS = ['FP32 whole', 'FP16 whole', 'FP32 cut', 'FP16 cut'];
const WEIGHTS = [1, 1, 9, 9];
/** Layers kept in a cut seed. */
const CUT = 24;

const XML: TextFormat = {
  blocks(text) {
    const spans: [number, number][] = [];
    for (const match of text.matchAll(/<layer [^]*?<\/layer>|<edge [^>]*\/>/g)) spans.push([match.index, match.index + match[0].length]);
    return spans;
  },
  open: '<data>',
  close: '</data>',
  quote: (content) => ` name="${content}"`,
};

export const irTarget: Target = {
  name: 'ir',
  errors: MODEL_ERRORS,
  async seeds() {
    const whole = ['FP32', 'FP16'].map((precision) => ({ files: [
      { name: 'mutant.xml', bytes: readSeed(`${IR}${precision}/${STEM}.xml`) },
      { name: 'mutant.bin', bytes: readSeed(`${IR}${precision}/${STEM}.bin`) },
    ] }));
    return [...whole, ...whole.map(cut)];
  },
  mutate(rng, all) {
    const [seed, other] = pickSeeds(rng, all, WEIGHTS);
    const precision = SEEDS[all.indexOf(seed)];
    if (rng.chance(0.65)) {
      const { bytes, how } = mutateText(rng, decode(seed.files[0].bytes), decode(other.files[0].bytes), XML);
      return { input: withFile(seed, 0, bytes), how: `${precision} .xml: ${how}` };
    }
    const { bytes, how } = mutateBytes(rng, seed.files[1].bytes, other.files[1].bytes);
    return { input: withFile(seed, 1, bytes), how: `${precision} .bin: ${how}` };
  },
  async run(input: FuzzInput, names) {
    const [xml, bin] = input.files;
    const graph = importOpenVino(decode(xml.bytes), bin.bytes, { xmlName: xml.name, binName: bin.name, limits: FUZZ_LIMITS });
    await runModel(graph, xml.name, names);
  },
};

/** The first layers of an IR whose inputs all come from earlier kept layers, their edges, and the .bin up to their last blob. */
function cut(ir: FuzzInput): FuzzInput {
  const text = decode(ir.files[0].bytes);
  const layers = [...text.matchAll(/<layer [^]*?<\/layer>/g)];
  const edges = [...text.matchAll(/<edge [^>]*\/>/g)];
  const endpoints = (edge: string) => [/from-layer="(\d+)"/.exec(edge)![1], /to-layer="(\d+)"/.exec(edge)![1]];
  const kept = new Set<string>();
  const blocks: string[] = [];
  let binEnd = 0;
  for (const layer of layers) {
    if (kept.size === CUT) break;
    const id = /id="(\d+)"/.exec(layer[0])![1];
    if (!edges.every((edge) => { const [from, to] = endpoints(edge[0]); return to !== id || kept.has(from); })) continue;
    kept.add(id);
    blocks.push(layer[0]);
    for (const blob of layer[0].matchAll(/offset="(\d+)" size="(\d+)"/g)) binEnd = Math.max(binEnd, Number(blob[1]) + Number(blob[2]));
  }
  const keptEdges = edges.filter((edge) => endpoints(edge[0]).every((id) => kept.has(id))).map((edge) => edge[0]);
  const xml = `${text.slice(0, layers[0].index)}${blocks.join('\n')}\n</layers>\n<edges>\n${keptEdges.join('\n')}\n</edges>\n</net>\n`;
  return { files: [{ name: 'mutant.xml', bytes: encode(xml) }, { name: 'mutant.bin', bytes: ir.files[1].bytes.slice(0, binEnd) }] };
}

// Two targets over the Caffe importer: the prototxt mutated (its real caffemodel beside it), and
// the caffemodel mutated (its real prototxt beside it). Seeds: MTCNN det1…det4 and RMNet.

import { importCaffe } from '../../importer/caffe/index.js';
import { FUZZ_LIMITS } from '../limits.js';
import { mutateBytes, type Mutant } from '../mutate/bytes.js';
import { mutateProtobuf } from '../mutate/protobuf.js';
import type { Random } from '../mutate/random.js';
import { braceBlocks, decode, mutateText, type TextFormat } from '../mutate/text.js';
import { readSeed } from '../shared.js';
import { MODEL_ERRORS, runModel } from './model.js';
import { pickSeeds, withFile, type FuzzInput, type Target } from './target.js';

const NETS = ['mtcnn/det1', 'mtcnn/det2', 'mtcnn/det3', 'mtcnn/det4',
  'face-reidentification-retail-0001/face-reidentification-retail-0001'];
/** RMNet is 20x slower to import and run than the MTCNN nets: one mutant in 37. */
const WEIGHTS = [9, 9, 9, 9, 1];

const PROTOTXT: TextFormat = {
  blocks: (text) => braceBlocks(text, /\blayers? \{/g),
  open: 'layer { convolution_param { ',
  close: '} } ',
  quote: (content) => `name: "${content}" `,
};

async function seeds(): Promise<FuzzInput[]> {
  return NETS.map((net) => ({ files: [
    { name: 'mutant.prototxt', bytes: readSeed(`models/${net}.prototxt`) },
    { name: 'mutant.caffemodel', bytes: readSeed(`models/${net}.caffemodel`) },
  ] }));
}

async function run(input: FuzzInput, names: string[]): Promise<void> {
  const [prototxt, caffemodel] = input.files;
  const graph = importCaffe(decode(prototxt.bytes), caffemodel.bytes,
    { prototxtName: prototxt.name, caffemodelName: caffemodel.name, limits: FUZZ_LIMITS });
  await runModel(graph, prototxt.name, names);
}

/** A target mutating file `file` of the seed (0: the prototxt, 1: the caffemodel) by `mutation`. */
function caffeTarget(name: string, file: 0 | 1, mutation: (rng: Random, bytes: Uint8Array, other: Uint8Array) => Mutant): Target {
  return {
    name,
    errors: MODEL_ERRORS,
    seeds,
    mutate(rng, all) {
      const [seed, other] = pickSeeds(rng, all, WEIGHTS);
      const { bytes, how } = mutation(rng, seed.files[file].bytes, other.files[file].bytes);
      return { input: withFile(seed, file, bytes), how: `${NETS[all.indexOf(seed)]}: ${how}` };
    },
    run,
  };
}

export const prototxtTarget = caffeTarget('prototxt', 0, (rng, bytes, other) => mutateText(rng, decode(bytes), decode(other), PROTOTXT));

export const caffemodelTarget = caffeTarget('caffemodel', 1,
  (rng, bytes, other) => (rng.chance(0.5) ? mutateProtobuf(rng, bytes) : undefined) ?? mutateBytes(rng, bytes, other));

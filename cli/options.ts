// What the commands share: checks of option values, and
// the option groups several commands take, each defined once:
//   model options (--model, --weights, --models, --device): every command that loads a model;
//   face options (--no-detect, --flip / --no-flip, --threads, --min-face): every command that embeds the faces of photos.

import { InvalidArgumentError, Option, type Command } from 'commander';
import { compile, type CompiledModel } from '../engine/compile.js';
import { backendFor, DEVICES, defaultDevice, type Device } from '../engine/devices.js';
import type { Graph } from '../engine/graph/graph.js';
import { loadModel } from '../importer/index.js';
import type { EmbedderOptions } from '../rmnet/embedder.js';
import { RMNET } from '../rmnet/models.js';

/** A parser for a number option: finite, from `min` to `max`, whole if `integer`. */
export function numberIn(min: number, max: number, integer = false): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
    return n;
  };
}

/** --threshold: a cosine, so within [-1, 1]. */
export const thresholdOption = (description: string) =>
  new Option('--threshold <T>', `${description}; a cosine from -1 to 1`).argParser(numberIn(-1, 1));

/** Examples shown at the end of a command's --help. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}

export interface ModelFlags {
  model?: string;
  weights?: string;
  models?: string;
  device: Device;
}

/** --model (unless the command names its model as an argument), --weights, --models and --device. */
export function withModelOptions(command: Command, { modelOption = true } = {}): Command {
  if (modelOption) {
    command.option('--model <NAME|FILE>', 'the embedding model: a name in the models folders, or an OpenVINO .xml or Caffe .prototxt file', RMNET);
  }
  return command
    .option('--weights <FILE>', "the model file's weights, when they are not beside it with the same stem (.bin, .caffemodel)")
    .option('--models <DIR>', "folder of model folders, searched first (then $FACEREID_MODELS, then the package's own models/)")
    .addOption(new Option('--device <D>', 'where the nets run').choices(DEVICES).default(defaultDevice()));
}

export interface FaceFlags extends ModelFlags {
  /** false with --no-detect (commands without that option always detect). */
  detect?: boolean;
  flip?: boolean;
  threads: number;
  /** --min-face: the smallest face side the detector seeks (its default when not given). */
  minFace?: number;
}

/**
 * The model options, --flip / --no-flip, --threads, where a command can take tight crops
 * --no-detect, and where it detects faces --min-face (`minFace`: the default it states).
 */
export function withFaceOptions(command: Command, { crops, minFace }: { crops: boolean; minFace?: number }): Command {
  withModelOptions(command);
  if (crops) {
    command.option('--no-detect', 'treat each image as a tight face crop: no detection, the whole image resized to 128x128 ' +
      '(how the published embeddings were made)');
  }
  if (minFace !== undefined) {
    // The pyramid's first level is the photo scaled by 12 / PX, so the detector's work falls with PX².
    const option = new Option('--min-face <PX>', `smallest face side sought, in pixels (default ${minFace}; a larger one is ` +
      'faster on a large photo: the detector\'s work falls with its square)').argParser(numberIn(12, 10000));
    command.addOption(crops ? option.conflicts('detect') : option);
  }
  return command
    .option('--flip', `average each face's embedding with its mirror image's (default: on for detected faces${crops ? ', off with --no-detect' : ''})`)
    .option('--no-flip', 'do not flip-average')
    .option('--threads <N>', '1, or 2: worker threads share the detector\'s stages and each embedding run (cpu and simd devices; ' +
      'pays on many photos or frames, not on one: the workers load the nets too)', numberIn(1, 2, true), 1);
}

/** The face options as the library takes them: flip follows detection unless given. */
export function embedderOptions(flags: FaceFlags): EmbedderOptions {
  const { model, weights, models, device, threads } = flags;
  return { model, weights, models, device, threads, flip: flags.flip ?? flags.detect !== false };
}

/** The model a command names (a name or a file), imported, and compiled with the passes on for the device asked for. */
export async function loadCompiled(model: string, flags: ModelFlags & { batch?: number }): Promise<{ imported: Graph; net: CompiledModel }> {
  const imported = await loadModel({ model, weights: flags.weights, models: flags.models });
  return { imported, net: compile(imported, { batch: flags.batch, backend: await backendFor(flags.device) }) };
}

/** The argument naming a command's model; RMNet when not given. */
export const MODEL_ARGUMENT = ['[model]', 'a model name in the models folders, or its .xml (OpenVINO IR) or .prototxt file', RMNET] as const;

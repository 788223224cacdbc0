#!/usr/bin/env node
// facereid command line: dispatches to one file per command; every error ends as one
// line on stderr and exit status 2 (compare uses 1 for "different").

import { ModelNotFoundError } from '../importer/models.js';
import { compare } from './compare.js';
import { convert } from './convert.js';
import { demo } from './demo.js';
import { embed } from './embed.js';
import { enroll } from './enroll.js';
import { identify } from './identify.js';
import { run } from './run.js';
import { UsageError } from './usage.js';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  embed: { run: embed, help: 'embed <image...> [--model M] [--models DIR]  JSON embeddings, in input order' },
  compare: { run: compare, help: 'compare <a> <b> [--detect] [--threshold T] [--json]  cosine and same/different (exit 0/1)' },
  run: { run, help: 'run <net.prototxt|net.xml> [weights] --input NAME=x.npy... --out DIR [--all-blobs] [--limit NAME=N]' },
  convert: { run: convert, help: 'convert <model> --to onnx --out FILE [--opset N] [--as-imported]  ONNX export, dynamic batch' },
  inspect: { run: async (args) => (await import('./inspect.js')).inspect(args), help: 'inspect <model> [--json] [--batch N] [--activations IMAGE --out DIR]  layers by residual block: shapes, params, MACs; passes; memory' },
  profile: { run: async (args) => (await import('./profile.js')).profile(args), help: 'profile <model> [--runs N] [--warmup N] [--batch N] [--clock wall|cpu] [--device D] [--json]  median time per layer (its variant and backend kernel) and per op type' },
  eval: { run: async (args) => (await import('./eval.js')).evaluate(args), help: 'eval lfw --pairs F --images DIR (--landmarks F [--scale S] | --aligned arcface112) [--flip] [--folds all|N] [--strict] [--roc F.png|.svg] [--json]  LFW verification accuracy' },
  enroll: { run: enroll, help: 'enroll --gallery G.json (--name NAME <image...> | --folder DIR)  add people (largest face per photo)' },
  identify: { run: identify, help: 'identify <image> --gallery G.json [--out annotated.png] [--json] [--threshold T] [--no-reid]  name or re-identify every face' },
  track: { run: async (args) => (await import('./track.js')).track(args), help: 'track <frames folder|clip.y4m|-> [--gallery G.json] [--json] [--out DIR|clip.y4m] [--threshold T] [--detect-every K] [--min-face PX]  follow and re-identify the faces of a video' },
  demo: { run: demo, help: 'demo [--models DIR]                         the reference faces: embeddings vs published, similarities' },
};

function usage(): string {
  return `usage: facereid <command> …\n${Object.values(COMMANDS).map((c) => `  facereid ${c.help}`).join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}'\n${usage()}`);
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    const message = error instanceof ModelNotFoundError ? error.explain('--models DIR')
      : error instanceof Error ? error.message : String(error);
    process.stderr.write(`facereid: ${message}\n`);
    if (process.env.FACEREID_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);

import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Argument, Option, type Command } from 'commander';
import type { CropRule } from '../eval/embed-images.js';
import { evaluateLfw, selectPairs, type Selection, type Verification } from '../eval/lfw.js';
import { parseLandmarks, parsePairs } from '../eval/pairs.js';
import { rocPng, rocSvg } from '../eval/roc-plot.js';
import { readFileBytes } from '../io/read-file.js';
import { ARCFACE_112 } from '../rmnet/align.js';
import { Embedder } from '../rmnet/embedder.js';
import { formatTable } from './table.js';
import { embedderOptions, examples, numberIn, withFaceOptions, type FaceFlags } from './options.js';
import { UsageError } from './usage.js';

/** Already-aligned crop layouts `--aligned` knows. */
const ALIGNED = { arcface112: { template: ARCFACE_112, size: 112 } } as const;
/** Missing images named in the skip warning. */
const SHOWN = 3;

interface Flags extends FaceFlags {
  pairs: string;
  images: string;
  landmarks?: string;
  aligned?: keyof typeof ALIGNED;
  scale?: number;
  folds: string;
  strict?: boolean;
  roc?: string;
  json?: boolean;
}

/**
 * facereid eval lfw --pairs pairs.txt --images DIR (--landmarks FILE [--scale S] | --aligned arcface112)
 * [--flip|--no-flip] [--folds all|N] [--strict] [--roc FILE.png|FILE.svg] [--json]
 */
export function define(command: Command): Command {
  withFaceOptions(command
    .description('The standard LFW verification protocol: 10-fold cross-validation over the pairs (each fold judged at the ' +
      'threshold that is best on the others); faces aligned from five landmarks per image, or already aligned.')
    .addArgument(new Argument('<benchmark>', 'the benchmark').choices(['lfw']))
    .requiredOption('--pairs <FILE>', "LFW's pairs.txt")
    .requiredOption('--images <DIR>', 'the images, as <name>/<name>_NNNN.jpg')
    .option('--landmarks <FILE>', 'five landmarks per image (lfw_landmark.txt)')
    .option('--scale <S>', 'the images are the originals scaled by S (the 150 px thumbnails: 0.6); landmarks are scaled to match', numberIn(1e-3, 1e3))
    .addOption(new Option('--aligned <LAYOUT>', 'the images are already-aligned crops of this layout').choices(Object.keys(ALIGNED)))
    .option('--folds <all|N>', "every fold, or one fold's number", 'all')
    .option('--strict', 'refuse pairs whose images are missing, rather than skip them')
    .option('--roc <FILE>', 'also draw the ROC curve (.png or .svg)')
    .option('--json', 'print the result as JSON'), { crops: false });
  return examples(command, [
    'facereid eval lfw --pairs lfw/pairs.txt --images lfw/aligned112 --aligned arcface112',
    'facereid eval lfw --pairs lfw/pairs.txt --images lfw/images --landmarks lfw/lfw_landmark.txt --scale 0.6 --no-flip --roc roc.svg',
  ]);
}

export async function run(_benchmark: 'lfw', flags: Flags): Promise<number> {
  if (flags.roc && !['.png', '.svg'].includes(extname(flags.roc).toLowerCase())) {
    throw new UsageError(`--roc ${flags.roc}: the picture is written as .png or .svg, by extension`);
  }
  const rule = cropRule(flags);
  const list = parsePairs(readText(flags.pairs, 'pairs file'), flags.pairs);
  const selection = selectPairs(list, flags.images, foldOption(flags.folds, list.folds));
  reportSkipped(selection, flags.images, flags.strict ?? false);

  const embedder = await Embedder.load(embedderOptions(flags));
  const { plain, flipped } = await evaluateLfw(embedder, selection.used, flags.images, rule, {
    mirrors: embedder.flip, onProgress: progress(),
  });
  const result = flipped ?? plain;
  if (flags.roc) {
    const title = `LFW ${rule.kind === 'aligned' ? flags.aligned : 'landmarks'}${embedder.flip ? ' + flip' : ''}`;
    writeFileSync(flags.roc, extname(flags.roc).toLowerCase() === '.svg' ? rocSvg(result.roc, title) : rocPng(result.roc, title));
  }
  const pairs = { used: selection.used.length, skipped: selection.skipped.length };
  process.stdout.write(flags.json ? `${JSON.stringify(summary(result, pairs, embedder.flip))}\n` : text(result, pairs, embedder.flip));
  return 0;
}

function cropRule(values: { landmarks?: string; aligned?: keyof typeof ALIGNED; scale?: number }): CropRule {
  if ((values.landmarks === undefined) === (values.aligned === undefined)) {
    throw new UsageError('eval lfw needs one of --landmarks FILE (five points per image) or --aligned arcface112 (already-aligned crops)');
  }
  if (values.aligned !== undefined) {
    if (values.scale !== undefined) throw new UsageError('--scale applies to --landmarks, not to --aligned crops');
    return { kind: 'aligned', name: values.aligned, ...ALIGNED[values.aligned] };
  }
  const scale = values.scale ?? 1;
  return { kind: 'landmarks', landmarks: parseLandmarks(readText(values.landmarks!, 'landmarks file'), values.landmarks), scale };
}

/** --folds all (undefined: every fold) or one fold's number. */
function foldOption(value: string | undefined, folds: number): number | undefined {
  if (value === undefined || value === 'all') return undefined;
  const fold = Number(value);
  if (!/^\d+$/.test(value) || fold < 1 || fold > folds) throw new UsageError(`--folds must be 'all' or a fold from 1 to ${folds}, got '${value}'`);
  return fold;
}

const readText = (path: string, what: string) => new TextDecoder().decode(readFileBytes(path, what));

/** Pairs lacking images: refused with --strict, otherwise a warning on stderr. */
function reportSkipped({ used, skipped, missing }: Selection, dir: string, strict: boolean): void {
  if (skipped.length === 0) return;
  const shown = missing.slice(0, SHOWN).join(', ') + (missing.length > SHOWN ? ', …' : '');
  const message = `${skipped.length} of ${used.length + skipped.length} pairs lack images: ${missing.length} missing under ${dir} (${shown})`;
  if (strict) throw new Error(`${message}; --strict refuses to skip them`);
  if (used.length === 0) throw new Error(`${message}; no pair is left to evaluate`);
  process.stderr.write(`facereid: ${message}; skipping those pairs\n`);
}

/** A progress bar with ETA on stderr: redrawn in place on a terminal, a plain line every 10 s otherwise. */
function progress(): (done: number, total: number) => void {
  const start = Date.now();
  const tty = process.stderr.isTTY;
  let last = start;
  return (done, total) => {
    const now = Date.now();
    const finished = done === total;
    if (!finished && now - last < (tty ? 100 : 10_000)) return;
    last = now;
    const seconds = (now - start) / 1000;
    const eta = finished ? '' : `, ETA ${((seconds * (total - done)) / done).toFixed(0)} s`;
    const bar = tty ? `[${'#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.')}] ` : '';
    const line = `${bar}embedded ${done}/${total} images in ${seconds.toFixed(1)} s${eta}`;
    process.stderr.write(tty ? `\r${line}${finished ? '\n' : ''}` : `${line}\n`);
  };
}

function summary(v: Verification, pairs: { used: number; skipped: number }, flip: boolean) {
  return {
    protocol: v.protocol, accuracy: v.accuracy,
    folds: v.folds.map(({ fold, threshold, accuracy }) => ({ fold, threshold, accuracy })),
    bestThreshold: v.bestThreshold, auc: v.auc, pairs, flip,
  };
}

function text(v: Verification, pairs: { used: number; skipped: number }, flip: boolean): string {
  const rows = v.folds.map((f) => [String(f.fold), f.threshold.toFixed(4), f.accuracy.toFixed(4), String(f.pairs)]);
  return `LFW: ${v.protocol}\n`
    + (v.folds.length === 1
      ? `accuracy ${v.accuracy.mean.toFixed(4)}\n`
      : `accuracy ${v.accuracy.mean.toFixed(4)} ± ${v.accuracy.std.toFixed(4)} (mean ± population std over ${v.folds.length} folds)\n`)
    + formatTable([['fold', 'threshold', 'accuracy', 'pairs'], ...rows], 'rrrr')
    + `best threshold on all pairs ${v.bestThreshold.toFixed(4)}, AUC ${v.auc.toFixed(5)}\n`
    + `pairs used ${pairs.used}, skipped ${pairs.skipped}; flip ${flip ? 'on' : 'off'}\n`;
}

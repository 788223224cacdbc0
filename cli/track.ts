// facereid track <frames folder | clip.y4m | -> [--gallery G.json] [--json] [--out DIR|clip.y4m]
//   [--threshold T] [--detect-every K] [--min-face PX]: follows and re-identifies the faces of a
// video (rmnet/track/). --json prints one JSON object per frame (JSON Lines) and a last line
// {"summary": …}; without it, a table of the identities seen. Progress and frames per second
// go to stderr. The gallery is only read.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { spaceOf } from '../rmnet/gallery.js';
import { readGallery } from '../rmnet/gallery-file.js';
import { FacePipeline } from '../rmnet/pipeline.js';
import { FaceTracker, TRACK_MIN_FACE_SIZE, type IdentitySummary, type TrackedFrame } from '../rmnet/track/index.js';
import { annotate } from '../viz/annotate.js';
import { formatTable } from './table.js';
import { openFrames } from './track-input.js';
import { openSink } from './track-output.js';
import { embedderOptions, examples, numberIn, thresholdOption, withFaceOptions, type FaceFlags } from './options.js';
import { UsageError } from './usage.js';

const round = (v: number) => Math.round(v * 10) / 10;

interface Flags extends FaceFlags {
  gallery?: string;
  json?: boolean;
  out?: string;
  threshold?: number;
  detectEvery?: number;
}

export function define(command: Command): Command {
  withFaceOptions(command
    .description('Follows and re-identifies the faces of a video: each frame\'s faces are found (fully every few frames, ' +
      'between them near where each face was), embedded and matched to the tracks seen so far, so a person who leaves and ' +
      'comes back gets their earlier ID (or their name from a gallery). Progress and frames per second go to stderr.')
    .argument('<input>', 'a folder of numbered frames (JPEG/PNG, in natural order), a .y4m file, or - for Y4M on stdin')
    .option('--gallery <FILE>', 'name the people enrolled in this gallery (it is only read)')
    .option('--json', 'print one JSON object per frame (JSON Lines), then a last line {"summary": …}')
    .option('--out <DIR|FILE.y4m>', 'also write the frames annotated: PNGs into a new folder, or a Y4M file')
    .addOption(thresholdOption('the cosine from which a face is a track or identity it matches (default 0.34)'))
    .option('--detect-every <K>', 'run the full detector every K-th frame (default 10)', numberIn(1, 1000, true)), { crops: false, minFace: TRACK_MIN_FACE_SIZE });
  return examples(command, [
    'facereid track frames/ --json > tracks.jsonl',
    'ffmpeg -i clip.mp4 -f yuv4mpegpipe - | facereid track - --gallery team.json --out named.y4m',
  ]);
}

export async function run(input: string, flags: Flags): Promise<number> {
  if (flags.gallery !== undefined && !existsSync(flags.gallery)) throw new UsageError(`--gallery ${flags.gallery}: no such file`);
  const options = { threshold: flags.threshold, detectEvery: flags.detectEvery, minFaceSize: flags.minFace };

  const source = await openFrames(input);
  const sink = flags.out === undefined ? undefined
    : openSink(flags.out, source.y4m?.colourSpace === '444' ? '444' : '420jpeg', source.y4m?.frameRate);
  const progress = new Progress();
  try {
    const pipeline = await FacePipeline.load(embedderOptions(flags));
    const gallery = flags.gallery === undefined ? undefined : readGallery(flags.gallery, await spaceOf(pipeline.embedder));
    const tracker = new FaceTracker(pipeline, { ...options, gallery });
    progress.start();
    for await (const { pixels, file } of source.frames) {
      const result = await tracker.next(pixels);
      if (flags.json) process.stdout.write(`${JSON.stringify(frameJson(result, file))}\n`);
      sink?.write(annotate(pixels, result.faces.map((f) => ({ ...f, label: `${f.identity} ${f.similarity.toFixed(2)}`, known: f.enrolled }))), result.frame);
      progress.frame(result);
    }
    if (progress.frames === 0) throw new UsageError(`${input}: the stream holds no frames`);
    sink?.commit();
    progress.end();
    const summary = tracker.summary();
    process.stdout.write(flags.json ? `${JSON.stringify({ summary: { frames: progress.frames, fps: round(progress.fps()), identities: summary } })}\n` : summaryTable(summary, progress.frames));
    return 0;
  } catch (error) {
    sink?.abort();
    progress.end();
    throw error;
  }
}

function frameJson(result: TrackedFrame, file: string | undefined) {
  return {
    frame: result.frame, ...(file === undefined ? {} : { file }), detected: result.detected,
    faces: result.faces.map((f) => ({
      identity: f.identity, enrolled: f.enrolled, similarity: Math.round(f.similarity * 1000) / 1000, track: f.track,
      box: { x: round(f.box.x), y: round(f.box.y), width: round(f.box.width), height: round(f.box.height) },
      landmarks: f.landmarks.map(([x, y]) => [round(x), round(y)]), score: Math.round(f.score * 1000) / 1000,
    })),
  };
}

function summaryTable(identities: IdentitySummary[], frames: number): string {
  if (identities.length === 0) return `${frames} frames: nobody seen\n`;
  return formatTable([
    `${frames} frames, ${identities.length} ${identities.length === 1 ? 'person' : 'people'}:`,
    ['identity', 'enrolled', 'first frame', 'last frame', 'frames seen', 'tracks'],
    ...identities.map((i) => [i.identity, i.enrolled ? 'yes' : 'no', String(i.firstFrame), String(i.lastFrame), String(i.frames), String(i.tracks)]),
  ], 'llrrrr');
}

/** Frames per second on stderr: rewritten in place on a terminal, a line every few seconds otherwise; a last line at the end. */
class Progress {
  frames = 0;
  private started = 0;
  private shown = 0;
  private readonly spent = { detect: 0, embed: 0, track: 0 };
  private readonly terminal = process.stderr.isTTY === true;

  start(): void {
    this.started = performance.now();
    this.shown = this.started;
  }

  fps(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? this.frames / seconds : 0;
  }

  frame(result: TrackedFrame): void {
    this.frames++;
    for (const stage of ['detect', 'embed', 'track'] as const) this.spent[stage] += result.timings[stage];
    const now = performance.now();
    if (now - this.shown < (this.terminal ? 250 : 5000)) return;
    this.shown = now;
    this.print(this.terminal ? '\r' : '', this.terminal ? '' : '\n');
  }

  end(): void {
    if (this.frames > 0) this.print(this.terminal ? '\r' : '', '\n');
  }

  private print(before: string, after: string): void {
    const per = (ms: number) => (ms / this.frames).toFixed(1);
    process.stderr.write(`${before}track: ${this.frames} frames, ${this.fps().toFixed(1)} fps ` +
      `(per frame: find ${per(this.spent.detect)} ms, embed ${per(this.spent.embed)} ms, track ${per(this.spent.track)} ms)${after}`);
  }
}

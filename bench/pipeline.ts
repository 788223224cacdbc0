// The pipeline section: FacePipeline.faces (detect + align + embed), warm, on a few photos from
// ../shared of the sizes a user meets — each photo alone (the same photo again and again) and
// interleaved (every photo in turn, so each follows photos of other sizes) — single thread, and
// on two (FacePipeline threads: 2: worker threads share the detector's stages and each embedding
// run). One child process per device and thread count (pipeline-child.ts), their rounds taken
// in turn; the detection alone is timed beside it.

import { dirname, join } from 'node:path';
import type { Pixels } from '../dist/io/image.js';
import { toPixels } from '../dist/rmnet/image-input.js';
import { Child, median } from './e2e.js';
import type { PhotoInfo, PipelineReply, PipelineRequest } from './pipeline-child.js';

/** A photo: a file from ../shared, optionally tiled or enlarged (then cropped) into a large one. */
export interface PhotoSpec {
  name: string;
  /** Relative to the shared folder (the models folder's parent). */
  file: string;
  tile?: [number, number];
  /** Enlarged to this width (bilinear), then `crop` rows from `top`. */
  enlarge?: { width: number; top: number; rows: number };
}

export const PHOTOS: PhotoSpec[] = [
  { name: 'test1.jpg', file: 'models/mtcnn/test1.jpg' },
  { name: 'test2.jpg', file: 'models/mtcnn/test2.jpg' },
  { name: 'LFW thumbnail (Abel_Pacheco_0001)', file: 'lfw/images/Abel_Pacheco/Abel_Pacheco_0001.jpg' },
  { name: 'test1.jpg tiled 4×3', file: 'models/mtcnn/test1.jpg', tile: [4, 3] },
  { name: 'test1.jpg enlarged to 1900 wide, 1000 rows', file: 'models/mtcnn/test1.jpg', enlarge: { width: 1900, top: 60, rows: 1000 } },
];

export async function photoPixels(spec: PhotoSpec, shared: string): Promise<Pixels> {
  const pixels = await toPixels(join(shared, spec.file));
  if (spec.tile) return tiled(pixels, ...spec.tile);
  if (spec.enlarge) return enlarged(pixels, spec.enlarge.width, spec.enlarge.top, spec.enlarge.rows);
  return pixels;
}

/** The photo repeated nx times across and ny times down. */
function tiled(p: Pixels, nx: number, ny: number): Pixels {
  const width = p.width * nx, height = p.height * ny, c = p.channels;
  const data = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((y % p.height) * p.width + (x % p.width)) * c;
      data.set(p.data.subarray(from, from + c), (y * width + x) * c);
    }
  }
  return { width, height, channels: c, data };
}

/** The photo enlarged to `width` (bilinear, pixel centres aligned), rows top … top + rows - 1 of it. */
function enlarged(p: Pixels, width: number, top: number, rows: number): Pixels {
  const scale = width / p.width, c = p.channels;
  const data = new Uint8Array(width * rows * c);
  const at = (d: number, size: number) => Math.min(Math.max((d + 0.5) / scale - 0.5, 0), size - 1);
  for (let y = 0; y < rows; y++) {
    const sy = at(top + y, p.height), y0 = Math.floor(sy), y1 = Math.min(y0 + 1, p.height - 1), fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = at(x, p.width), x0 = Math.floor(sx), x1 = Math.min(x0 + 1, p.width - 1), fx = sx - x0;
      for (let k = 0; k < c; k++) {
        const v = (1 - fy) * ((1 - fx) * p.data[(y0 * p.width + x0) * c + k] + fx * p.data[(y0 * p.width + x1) * c + k])
          + fy * ((1 - fx) * p.data[(y1 * p.width + x0) * c + k] + fx * p.data[(y1 * p.width + x1) * c + k]);
        data[(y * width + x) * c + k] = Math.round(v);
      }
    }
  }
  return { width, height: rows, channels: c, data };
}

/** Times of one photo: medians and extremes over the timed runs, ms. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number;
}

export const timing = (ms: number[]): Timing => ({ medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms), samples: ms.length });

export interface PipelineResult {
  engine: 'facereid';
  backend: string;
  /** FacePipeline's threads (2: the detector's stages and each embedding run shared with worker threads). */
  threads: number;
  photo: string;
  width: number;
  height: number;
  /** Faces FacePipeline.faces found (the same every run). */
  faces: number;
  /** FacePipeline.faces, the photo again and again. */
  alone: Timing;
  /** FacePipeline.faces, each photo in turn (after photos of other sizes). */
  interleaved: Timing;
  /** The detection alone (FacePipeline.detect): the pipeline's time less alignment and embedding. */
  detect: Timing;
  /** FacePipeline.faces with flip-averaging off (each face embedded once), the photo again and again. */
  noFlip: Timing;
  /** Peak RSS of the device's child process, after every photo (MB). */
  peakRssMb: number;
}

export interface PipelineOptions {
  models?: string;
  /** Rounds, each timing every photo alone, its detection alone, and every photo in turn. */
  runs: number;
  log(line: string): void;
}

/** Every photo on each device (cpu, simd) at each thread count: one child process each, their rounds taken in turn. */
export async function runPipeline(devices: string[], threads: number[], options: PipelineOptions): Promise<{ results: PipelineResult[]; notes: string[] }> {
  const notes: string[] = [];
  const live: { device: string; threads: number; child: Child<PipelineRequest, PipelineReply>; photos: PhotoInfo[]; times: { alone: number[]; detect: number[]; noFlip: number[]; interleaved: number[] }[] }[] = [];
  const fail = (device: string, t: number, child: Child<PipelineRequest, PipelineReply>, error: unknown) => {
    notes.push(`pipeline on ${device}, ${t} threads: ${(error as Error).message.split('\n')[0]}`);
    child.kill();
  };
  for (const device of devices) {
    for (const t of threads) {
      const child = new Child<PipelineRequest, PipelineReply>('./pipeline-child.js');
      try {
        const start = performance.now();
        const { photos } = await child.call({ type: 'open', device, threads: t, models: options.models }, 'ready');
        live.push({ device, threads: t, child, photos, times: photos.map(() => ({ alone: [], detect: [], noFlip: [], interleaved: [] })) });
        options.log(`  opened ${device} t${t} and ran each photo once in ${((performance.now() - start) / 1e3).toFixed(1)} s`);
      } catch (error) {
        fail(device, t, child, error);
      }
    }
  }
  for (let r = 0; r < options.runs; r++) {
    for (const run of [...live]) {
      try {
        const times = await run.child.call({ type: 'round' }, 'times');
        run.times.forEach((t, i) => { t.alone.push(times.alone[i]); t.detect.push(times.detect[i]); t.noFlip.push(times.noFlip[i]); t.interleaved.push(times.interleaved[i]); });
      } catch (error) {
        fail(run.device, run.threads, run.child, error);
        live.splice(live.indexOf(run), 1);
      }
    }
    options.log(`  round ${r + 1}/${options.runs} done`);
  }
  const results: PipelineResult[] = [];
  for (const run of live) {
    const { peakRssMb } = await run.child.call({ type: 'close' }, 'closed');
    run.photos.forEach((p, i) => {
      const t = run.times[i];
      results.push({ engine: 'facereid', backend: run.device, threads: run.threads, ...p, alone: timing(t.alone), interleaved: timing(t.interleaved), detect: timing(t.detect), noFlip: timing(t.noFlip), peakRssMb });
      options.log(`  ${run.device} t${run.threads} ${p.photo} (${p.width}x${p.height}, ${p.faces} faces): alone ${median(t.alone).toFixed(1)} ms, ` +
        `interleaved ${median(t.interleaved).toFixed(1)} ms, detect ${median(t.detect).toFixed(1)} ms, without flip ${median(t.noFlip).toFixed(1)} ms`);
    });
  }
  return { results, notes };
}

/** The shared folder: the parent of the models folder holding mtcnn/. */
export const sharedOf = (mtcnnPrototxt: string) => dirname(dirname(dirname(mtcnnPrototxt)));

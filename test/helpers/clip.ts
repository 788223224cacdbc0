// Synthetic video made from the shared photos, with the truth known for every frame: photos of
// people pasted onto a textured background, each following a path of key frames (centre and
// scale, interpolated linearly) so that people enter, pan, zoom, leave and come back — the
// same person as a different photo. Deterministic (seeded noise); rendered frame by frame.

import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readImage, type Pixels } from '../../io/image.js';
import { y4mFrame, y4mHeader, type Y4mOutputColourSpace } from '../../io/y4m.js';
import { prng } from '../kernels/reference.js';
import { SHARED } from './shared.js';

export interface Key {
  frame: number;
  /** Centre of the pasted photo, frame pixels. */
  x: number;
  y: number;
  /** Pasted size / photo size. */
  scale: number;
}

export interface Appearance {
  /** Who it is: the truth the tracker's IDs are scored against. */
  person: string;
  /** A JPEG, by its path under ../shared. */
  photo: string;
  /** The part of the photo pasted (default all of it): LFW thumbnails are cut to the central face. */
  crop?: { x: number; y: number; width: number; height: number };
  /** On screen from the first key's frame to the last's, inclusive. */
  keys: Key[];
}

export interface ClipScript {
  width: number;
  height: number;
  frames: number;
  appearances: Appearance[];
}

/** Who is where in a frame: the rectangle the person's photo covers (clipped to the frame); later ones on top. */
export interface TruthFace {
  person: string;
  rect: { x: number; y: number; width: number; height: number };
}

/** Photos by their path under ../shared. */
export const lfw = (name: string, n: number) => `lfw/images/${name}/${name}_${String(n).padStart(4, '0')}.jpg`;
export const reference = (name: string) => `models/face-reidentification-retail-0001/reference/faces/${name[0]}/${name}.jpg`;
/** The centre of a 150 px LFW thumbnail: the face, without bystanders at the edges. */
const LFW_FACE = { x: 25, y: 18, width: 100, height: 114 };

/**
 * The main clip (640x480, 240 frames, 25 fps, faces 45–90 px): seven people. ref0 crosses the top
 * and comes back as another photo; Rogge leaves at the bottom and comes back as another photo;
 * Veneman zooms in and vanishes, and ten frames later ref2 appears in her place; Chavez appears,
 * vanishes, and returns elsewhere as another photo; ref1 and Carter cross, ref1 passing in front.
 */
export const REID_CLIP: ClipScript = {
  width: 640, height: 480, frames: 240,
  appearances: [
    { person: 'ref0', photo: reference('0_0'), keys: [{ frame: 0, x: 20, y: 110, scale: 0.42 }, { frame: 100, x: 690, y: 130, scale: 0.48 }] },
    { person: 'rogge', photo: lfw('Jacques_Rogge', 1), crop: LFW_FACE, keys: [{ frame: 10, x: 520, y: 330, scale: 1 }, { frame: 70, x: 470, y: 300, scale: 1.1 }, { frame: 112, x: 470, y: 560, scale: 1.1 }] },
    { person: 'veneman', photo: lfw('Ann_Veneman', 3), crop: LFW_FACE, keys: [{ frame: 40, x: 150, y: 330, scale: 0.85 }, { frame: 130, x: 160, y: 320, scale: 1.5 }] },
    { person: 'chavez', photo: lfw('Hugo_Chavez', 2), crop: LFW_FACE, keys: [{ frame: 60, x: 320, y: 330, scale: 0.9 }, { frame: 120, x: 330, y: 345, scale: 0.9 }] },
    { person: 'ref2', photo: reference('2_1'), keys: [{ frame: 140, x: 160, y: 330, scale: 0.45 }, { frame: 230, x: 175, y: 320, scale: 0.4 }] },
    { person: 'ref0', photo: reference('0_2'), keys: [{ frame: 150, x: 690, y: 120, scale: 0.45 }, { frame: 239, x: 420, y: 140, scale: 0.6 }] },
    { person: 'rogge', photo: lfw('Jacques_Rogge', 3), crop: LFW_FACE, keys: [{ frame: 165, x: 500, y: 560, scale: 1.05 }, { frame: 239, x: 500, y: 330, scale: 1.05 }] },
    { person: 'chavez', photo: lfw('Hugo_Chavez', 41), crop: LFW_FACE, keys: [{ frame: 190, x: 320, y: 340, scale: 0.95 }, { frame: 239, x: 340, y: 330, scale: 0.95 }] },
    { person: 'carter', photo: lfw('Jimmy_Carter', 4), crop: LFW_FACE, keys: [{ frame: 125, x: 670, y: 236, scale: 0.8 }, { frame: 205, x: -30, y: 236, scale: 0.8 }] },
    { person: 'ref1', photo: reference('1_1'), keys: [{ frame: 120, x: -30, y: 232, scale: 0.45 }, { frame: 200, x: 670, y: 232, scale: 0.45 }] },
  ],
};

/** A short clip for the command line (48 frames): two people, one of them leaving for longer than a track lasts unseen and coming back. */
export const SHORT_CLIP: ClipScript = {
  width: 640, height: 480, frames: 48,
  appearances: [
    { person: 'ref1', photo: reference('1_0'), keys: [{ frame: 0, x: 200, y: 200, scale: 0.5 }, { frame: 10, x: 250, y: 210, scale: 0.5 }] },
    { person: 'rogge', photo: lfw('Jacques_Rogge', 1), crop: LFW_FACE, keys: [{ frame: 0, x: 470, y: 300, scale: 1 }, { frame: 47, x: 430, y: 320, scale: 1.1 }] },
    { person: 'ref1', photo: reference('1_2'), keys: [{ frame: 37, x: 180, y: 260, scale: 0.5 }, { frame: 47, x: 150, y: 250, scale: 0.55 }] },
  ],
};

export class Clip {
  private constructor(readonly script: ClipScript, private readonly photos: Map<string, Pixels>, private readonly background: Uint8Array) {}

  /** Loads the photos from `shared` (default ../shared; give it where this file's location does not lead there). */
  static async load(script: ClipScript, shared = SHARED): Promise<Clip> {
    const photos = new Map<string, Pixels>();
    for (const { photo } of script.appearances) if (!photos.has(photo)) photos.set(photo, await readImage(join(shared, photo)));
    return new Clip(script, photos, backdrop(script.width, script.height));
  }

  get width(): number { return this.script.width; }
  get height(): number { return this.script.height; }
  get frames(): number { return this.script.frames; }

  /** Frame i (RGB) and who is in it. */
  frame(i: number): { pixels: Pixels; truth: TruthFace[] } {
    const { width, height } = this.script;
    const data = new Uint8Array(this.background);
    const noise = prng(i + 1);
    for (let p = 0; p < data.length; p++) data[p] = Math.min(255, Math.max(0, data[p] + Math.round((noise() - 0.5) * 6)));
    const truth: TruthFace[] = [];
    for (const appearance of this.script.appearances) {
      const place = placeAt(appearance.keys, i);
      if (!place) continue;
      const photo = this.photos.get(appearance.photo)!;
      const crop = appearance.crop ?? { x: 0, y: 0, width: photo.width, height: photo.height };
      const rect = { width: crop.width * place.scale, height: crop.height * place.scale, x: 0, y: 0 };
      rect.x = place.x - rect.width / 2;
      rect.y = place.y - rect.height / 2;
      const shown = paste({ data, width, height, channels: 3 }, photo, crop, rect);
      if (shown) truth.push({ person: appearance.person, rect: shown });
    }
    return { pixels: { data, width, height, channels: 3 }, truth };
  }

  /** Writes the clip as a Y4M file, one frame at a time. */
  writeY4m(path: string, colourSpace: Y4mOutputColourSpace = '420jpeg'): void {
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, y4mHeader(this.width, this.height, colourSpace));
      for (let i = 0; i < this.frames; i++) writeSync(fd, y4mFrame(this.frame(i).pixels, colourSpace));
    } finally {
      closeSync(fd);
    }
  }
}

/** The appearance's centre and scale in frame i, or undefined when it is not on screen. */
function placeAt(keys: Key[], i: number): Omit<Key, 'frame'> | undefined {
  if (i < keys[0].frame || i > keys[keys.length - 1].frame) return undefined;
  const k = Math.max(0, keys.findIndex((key) => key.frame >= i) - 1);
  const [a, b] = [keys[k], keys[Math.min(k + 1, keys.length - 1)]];
  const t = b.frame === a.frame ? 0 : (i - a.frame) / (b.frame - a.frame);
  return { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y), scale: a.scale + t * (b.scale - a.scale) };
}

/** A smooth colour gradient with soft blobs: something for the detector to ignore. */
function backdrop(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const wave = 20 * Math.sin(x / 37) * Math.cos(y / 29);
      const o = (y * width + x) * 3;
      data[o] = 70 + (60 * x) / width + wave;
      data[o + 1] = 90 + (50 * y) / height - wave;
      data[o + 2] = 110 + 30 * Math.sin((x + y) / 90);
    }
  }
  return data;
}

/**
 * Pastes `crop` of the photo onto `rect` of the frame (bilinear, pixel centres aligned); returns
 * the part of `rect` on the frame, or undefined when none is.
 */
function paste(frame: Pixels, photo: Pixels, crop: NonNullable<Appearance['crop']>, rect: TruthFace['rect']): TruthFace['rect'] | undefined {
  const x0 = Math.max(0, Math.round(rect.x)), x1 = Math.min(frame.width, Math.round(rect.x + rect.width));
  const y0 = Math.max(0, Math.round(rect.y)), y1 = Math.min(frame.height, Math.round(rect.y + rect.height));
  if (x1 <= x0 || y1 <= y0) return undefined;
  const k = crop.width / rect.width;
  const at = (x: number, y: number, c: number) => photo.data[(y * photo.width + x) * photo.channels + c];
  for (let y = y0; y < y1; y++) {
    const sy = Math.min(Math.max(crop.y + (y + 0.5 - rect.y) * k - 0.5, crop.y), crop.y + crop.height - 1);
    const py = Math.floor(sy), fy = sy - py, qy = Math.min(py + 1, crop.y + crop.height - 1);
    for (let x = x0; x < x1; x++) {
      const sx = Math.min(Math.max(crop.x + (x + 0.5 - rect.x) * k - 0.5, crop.x), crop.x + crop.width - 1);
      const px = Math.floor(sx), fx = sx - px, qx = Math.min(px + 1, crop.x + crop.width - 1);
      for (let c = 0; c < 3; c++) {
        const top = at(px, py, c) + fx * (at(qx, py, c) - at(px, py, c));
        const bottom = at(px, qy, c) + fx * (at(qx, qy, c) - at(px, qy, c));
        frame.data[(y * frame.width + x) * 3 + c] = Math.round(top + fy * (bottom - top));
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

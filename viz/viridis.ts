// The viridis colour map (perceptually uniform, readable in grey and by colour-blind eyes),
// rebuilt by linear interpolation between nine of its colours, sampled at 0, 1/8, … 1.

import type { Rgb } from './canvas.js';

const CONTROL_POINTS: Rgb[] = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [253, 231, 37],
];

/** Colour of each level 0 (dark violet) .. 255 (yellow). */
export const VIRIDIS: readonly Rgb[] = Array.from({ length: 256 }, (_, level) => {
  const t = (level / 255) * (CONTROL_POINTS.length - 1);
  const i = Math.min(Math.floor(t), CONTROL_POINTS.length - 2);
  const f = t - i;
  const a = CONTROL_POINTS[i], b = CONTROL_POINTS[i + 1];
  const mix = (c: number) => Math.round(a[c] + (b[c] - a[c]) * f);
  return [mix(0), mix(1), mix(2)];
});

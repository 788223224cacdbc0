// The band of a general convolution (lower/kernel-node.ts BandLayout), for conv-general.ts: each
// group's weights packed for gemm.ts, and the copy of a band's input rows into scratch with the
// padding made real and a horizontal stride split into phases:
//   band[c][q][i][j] = x[c, oy0·SH − PT + i, j·SW + q − PL]     (0 outside the input)

import type { KernelOf } from '../../lower/kernel-node.js';
import { perChannel } from './activation.js';
import { packRows, type PackedRows } from './gemm.js';

type Banded = KernelOf<'conv-direct' | 'conv-im2col'>;
type Copied = Banded | KernelOf<'conv-winograd'>;

/** Each group's weights as gemm.ts's A: its O / G rows by the Cg·KH·KW taps, with their bias and activation. */
export function packGroups({ conv, outShapes: [[, O]], band }: Banded): PackedRows[] {
  const { weight, bias, activation, group: G } = conv;
  const Og = O / G;
  const K = band.taps.length;
  const { kind, param } = perChannel(activation, O);
  return Array.from({ length: G }, (_, g) => packRows(weight.subarray(g * Og * K, (g + 1) * Og * K), bias.subarray(g * Og, (g + 1) * Og),
    { kind, param: param.subarray(g * Og, (g + 1) * Og) }, Og, K));
}

/** Copies into `band` the band whose first output row is oy0, of the image at x[xAt]. */
export function copyBand(k: Copied, x: Float32Array, xAt: number, oy0: number, band: Float32Array): void {
  const [, C, H, W] = k.inShapes[0];
  const { stride: [SH, SW], pad: [PT, PL] } = k.conv;
  const { inRows, width, plane, columns } = k.band;
  for (let c = 0, to = 0; c < C; c++) {
    for (let q = 0; q < SW; q++, to += plane) {
      const j0 = columns[2 * q], j1 = columns[2 * q + 1];
      for (let i = 0, row = to; i < inRows; i++, row += width) {
        const iy = oy0 * SH - PT + i;
        if (iy < 0 || iy >= H) {
          band.fill(0, row, row + width);
          continue;
        }
        band.fill(0, row, row + j0);
        for (let j = j0, s = xAt + (c * H + iy) * W + j0 * SW + q - PL; j < j1; j++, s += SW) band[row + j] = x[s];
        band.fill(0, row + j1, row + width);
      }
    }
  }
}

// How a convolution runs: which variants its attributes and shapes allow, in order of preference
// (the first is chosen), its canonical parameters, and the layout of the scratch each variant
// works in.

import type { Shape } from '../graph/graph.js';
import type { NodeOf } from '../graph/ops.js';
import { kernelActivation } from './activation.js';
import { winogradFits, winogradPays, winogradTiles, winogradWeights } from './winograd.js';
import { PANEL_FLOATS, type BandLayout, type ConvParams, type KernelBase, type KernelOf } from './kernel-node.js';

export type ConvVariant = 'conv-pointwise' | 'conv-depthwise3x3s1' | 'conv-depthwise3x3' | 'conv-winograd' | 'conv-direct' | 'conv-im2col';

/** Output row width from which conv-direct is preferred. Direct runs a product's 8-pixel tiles
 *  along one output row: below two tiles the last is mostly empty, and conv-im2col, whose tiles
 *  run across the band's rows, was 25–35% faster; above, they were within noise of each other
 *  (every MTCNN and RMNet shape measured, bench/NOTES.md §16), direct never copying. */
const DIRECT_WIDTH = 16;

/** Scratch floats a direct convolution's band may take (128 KB; its one-row col comes on top). */
const DIRECT_BUDGET = 32768;
/** Scratch floats an im2col band and its col may take together (256 KB). */
const IM2COL_BUDGET = 65536;

/** X larger than this (L2, 1 MB) is read through the panel whatever its row stride: P-Net's
 *  32→4 head at 608x1151 took 4.1 ms, 2.2 through the panel (bench/NOTES.md §14). */
const LARGE_X_FLOATS = 262144;

/** The variants that can run `node` on input `x` with output `y`, special shapes first. */
export function convVariants(node: NodeOf<'Conv'>, x: Shape, y: Shape): ConvVariant[] {
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL, PB, PR], dilation: [DH, DW], group, outChannels } = node.attrs;
  const variants: ConvVariant[] = [];
  if (KH === 1 && KW === 1 && SH === 1 && SW === 1 && [PT, PL, PB, PR].every((p) => p === 0) && group === 1) variants.push('conv-pointwise');
  // The depthwise kernels read a row's taps four outputs at a time: one load per tap (stride 1) or
  // the even and odd lanes of two (stride 2); pads of at most 3 keep those reads within a value's guard.
  if (KH === 3 && KW === 3 && DH === 1 && DW === 1 && group === x[1] && outChannels === x[1] && SW <= 2 && PL <= 3 && PR <= 3) {
    if (SH === 1 && SW === 1) variants.push('conv-depthwise3x3s1');
    variants.push('conv-depthwise3x3');
  }
  const winograd = winogradFits(node.attrs, x, y);
  if (winograd && winogradPays(x, y)) variants.push('conv-winograd');
  variants.push(...(y[3] >= DIRECT_WIDTH ? ['conv-direct', 'conv-im2col'] as const : ['conv-im2col', 'conv-direct'] as const));
  if (winograd && !winogradPays(x, y)) variants.push('conv-winograd');
  return variants;
}

/** Whether rows `rowFloats` apart are a multiple of 1 KB apart: a column of them falls in one L1 set. */
const sameSet = (rowFloats: number) => (4 * rowFloats) % 1024 === 0;

/**
 * The band layout (kernel-node.ts BandLayout) of a convolution from input `x` to output `y`: bands
 * of as many output rows as keep the band, plus `perRow` floats of other scratch per output row,
 * within `budget` floats (at least one row), and as few of them as that allows, of equal height
 * (so the last one overlaps the one before by little).
 */
export function bandLayout(conv: ConvParams, x: Shape, y: Shape, budget: number, perRow = 0): BandLayout {
  const [, C] = x;
  const [, , OH, OW] = y;
  const { kernel: [KH, KW], stride: [SH, SW], dilation: [DH, DW] } = conv;
  const width = OW + Math.floor(((KW - 1) * DW) / SW);
  const inRowsOf = (R: number) => (R - 1) * SH + (KH - 1) * DH + 1;
  const floatsOf = (R: number) => C * SW * inRowsOf(R) * width + R * perRow;
  let most = 1;
  while (most < OH && floatsOf(most + 1) <= budget) most++;
  return bandOf(conv, x, Math.ceil(OH / Math.ceil(OH / most)), width);
}

/** The band layout of `rows` output rows, `width` floats a row (at least the output's width plus the kernel's reach). */
export function bandOf(conv: ConvParams, x: Shape, rows: number, width: number): BandLayout {
  const [, C, , W] = x;
  const { kernel: [KH, KW], stride: [SH, SW], pad: [, PL], dilation: [DH, DW], group } = conv;
  const inRows = (rows - 1) * SH + (KH - 1) * DH + 1;
  const plane = sameSet(inRows * width) ? inRows * width + 16 : inRows * width;
  const columns = new Int32Array(2 * SW);
  for (let q = 0; q < SW; q++) {
    columns[2 * q] = Math.min(width, Math.max(0, Math.ceil((PL - q) / SW)));
    columns[2 * q + 1] = Math.max(columns[2 * q], Math.min(width, Math.ceil((W + PL - q) / SW)));
  }
  const taps = new Int32Array((C / group) * KH * KW);
  for (let c = 0, k = 0; c < C / group; c++) {
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) taps[k++] = (c * SW + ((kx * DW) % SW)) * plane + ky * DH * width + Math.floor((kx * DW) / SW);
    }
  }
  return { rows, inRows, width, plane, floats: C * SW * plane, columns, taps };
}

/** The kernel node running `node` as `variant` (one of convVariants). */
export function convKernel(node: NodeOf<'Conv'>, variant: ConvVariant, base: KernelBase): KernelOf<ConvVariant> {
  const { kernel, stride, pad, dilation, group, outChannels, activation } = node.attrs;
  const conv: ConvParams = {
    kernel, stride, pad, dilation, group,
    weight: node.weights.weight.data,
    bias: node.weights.bias?.data ?? new Float32Array(outChannels),
    activation: kernelActivation(activation, node.weights.slope, outChannels),
  };
  const [x] = base.inShapes;
  const [y] = base.outShapes;
  const [, C, H, W] = x;
  const [, , , OW] = y;
  switch (variant) {
    case 'conv-pointwise': {
      // (With fewer than 8 rows the set's 8 ways hold them.)
      const panel = C >= 8 && (sameSet(H * W) || C * H * W > LARGE_X_FLOATS);
      return { ...base, variant, conv, panel, scratch: panel ? PANEL_FLOATS : 0 };
    }
    case 'conv-depthwise3x3s1': case 'conv-depthwise3x3':
      // A plane with its zero border, for kernels that read the taps without bounds tests.
      return { ...base, variant, conv, scratch: (H + pad[0] + pad[2]) * (W + pad[1] + pad[3]) };
    case 'conv-winograd': {
      const cut = winogradTiles(x[1], y[1], y[2], y[3]);
      const tiles = { ...cut, stride: sameSet(cut.tiles) ? cut.tiles + 16 : cut.tiles };
      const band = bandOf(conv, x, 2 * tiles.tileRows, 2 * tiles.across + 2);
      const transformed = winogradWeights(conv.weight, y[1], x[1]);
      return { ...base, variant, conv, band, tiles, transformed, scratch: band.floats + 16 * (x[1] + y[1]) * tiles.stride };
    }
    case 'conv-direct': case 'conv-im2col': {
      const K = (C / group) * kernel[0] * kernel[1];
      const band = variant === 'conv-direct' ? bandLayout(conv, x, y, DIRECT_BUDGET) : bandLayout(conv, x, y, IM2COL_BUDGET, K * OW);
      const rows = variant === 'conv-direct' ? 1 : band.rows;
      const col = { rows, stride: sameSet(rows * OW) ? rows * OW + 16 : rows * OW };
      return { ...base, variant, conv, band, col, scratch: band.floats + K * col.stride };
    }
  }
}

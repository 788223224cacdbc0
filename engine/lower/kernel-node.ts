// What the lowering stage hands the memory plan and the backends: a program of kernel nodes, one
// per graph node and in the same order. A kernel node names its VARIANT — the kernel shape that
// runs it, chosen once for every backend — and holds the variant's parameters in canonical form,
// so no kernel reads a graph attribute, imports pass code or handles a special encoding:
//   - every bias is present (zeros where the layer had none);
//   - a prelu slope is one value per channel (a shared slope is expanded);
//   - BatchNorm is a Scale (y = x·scale[c] + bias[c]);
//   - pooling has an explicit window (global pooling is a window over the whole plane);
//   - an InnerProduct weight is [N, K] (a transposed one is repacked);
//   - shapes are split into the runs a kernel walks (outer × channels × inner).
// Each node also says how many floats of scratch it needs while it runs; the memory plan places
// them, so kernels allocate nothing.
//
// Layout: every value is dense float32, row-major (NCHW). A 'view' computes nothing: its values
// alias memory (the plan places each inside the value it views, at the offsets given).

import type { Shape } from '../graph/graph.js';
import type { OpName } from '../graph/ops.js';

/** A fused activation, per channel c of the op's output (axis 1):
 *  relu: y = v > 0 ? v : negativeSlope·v;  elu: y = v > 0 ? v : alpha·(exp(v) − 1);
 *  prelu: y = v > 0 ? v : slope[c]·v, one slope per channel. */
export type KernelActivation =
  | { kind: 'none' }
  | { kind: 'relu'; negativeSlope: number }
  | { kind: 'elu'; alpha: number }
  | { kind: 'prelu'; slope: Float32Array };

/** A convolution: y[n,o] = act(bias[o] + sum_{c in group(o), ky, kx} weight[o, c, ky, kx] · x[n, c, oy·s + ky·d − pad, ox·s + kx·d − pad]). */
export interface ConvParams {
  kernel: [number, number];
  stride: [number, number];
  /** [top, left, bottom, right] */
  pad: [number, number, number, number];
  dilation: [number, number];
  group: number;
  /** [outChannels, inChannels / group, kh, kw] */
  weight: Float32Array;
  /** [outChannels] */
  bias: Float32Array;
  activation: KernelActivation;
}

/** A pooling window over NCHW planes (Caffe's rules: ops.ts 'Pool'); the output size is the output shape's. */
export interface PoolParams {
  kernel: [number, number];
  stride: [number, number];
  /** [top, left, bottom, right] */
  pad: [number, number, number, number];
  /** Average only: divide by the part of the window inside the input, not the padded window. */
  excludePad: boolean;
}

/** The panel a GEMM may read X through (see `panel` below): 16 KB, which stays in L1 with a block's weights. */
export const PANEL_FLOATS = 4096;

/**
 * The input rows a band of `rows` output rows of a convolution reads, as the general convolutions
 * keep them in scratch: the padding made real (zeros) and a horizontal stride S split into S
 * phases, so that every tap reads consecutive floats for consecutive output columns:
 *   band[c][q][i][j] = x[c, oy0·SH − PT + i, j·SW + q − PL]     (0 outside the input)
 * for the band's first output row oy0, i < inRows = (rows − 1)·SH + (KH − 1)·DH + 1, j < width.
 * Output (oy0 + r, ox) reads tap k = (c·KH + ky)·KW + kx (c counted within its group) at
 *   band[taps[k] + r·SH·width + ox]   with taps[k] the offset of [c][(kx·DW) mod SW][ky·DH][floor(kx·DW / SW)].
 * Bands have equal height and start at 0, rows, 2·rows, ...; the last one ends at OH, overlapping
 * the one before (whose last rows it computes again, to the same values) rather than being shorter.
 */
export interface BandLayout {
  /** Output rows per band. */
  rows: number;
  /** Input rows per band. */
  inRows: number;
  /** Floats per band row (one phase): OW + floor((KW − 1)·DW / SW). */
  width: number;
  /** Floats from one (channel, phase) plane to the next: inRows·width, or 16 more when that is a
   *  multiple of 1 KB (a tap's channels would fall in one L1 set). */
  plane: number;
  /** Floats of the whole band: C·SW planes. */
  floats: number;
  /** For each phase q, the band columns [columns[2q], columns[2q + 1]) that lie inside the input
   *  (0 <= j·SW + q − PL < W); the others are zeros. */
  columns: Int32Array;
  /** Offset in floats of each of a group's Cg·KH·KW taps from band row 0, column 0. */
  taps: Int32Array;
}

/**
 * The patches of `rows` output rows of a group, in scratch after the band:
 *   col[k, r·OW + ox] = band[taps[k] + r·SH·width + ox]     row k at k·stride floats, k < Cg·KH·KW.
 * conv-im2col's covers a whole band (rows = band.rows); conv-direct's one output row, for a kernel
 * that reads the taps through a col rather than in place (the CPU's).
 */
export interface ColLayout {
  rows: number;
  /** rows·OW, or 16 more when that is a multiple of 1 KB (L1 set aliasing again). */
  stride: number;
}

/**
 * How conv-winograd cuts a band into tiles: each tile is 2x2 output pixels read from a 4x4 patch
 * of the band (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016, F(2x2, 3x3)).
 * A band of `rows` = 2·tileRows output rows holds tileRows x across tiles, t = row·across + column;
 * bands start on even output rows (the last may end a row past the output);
 * in scratch after the band, V[ξ][c][t] (the input transformed, ξ < 16) and then M[ξ][o][t] (its
 * products with the weights), each row of `tiles` floats `stride` apart.
 */
export interface WinogradTiles {
  across: number;
  tileRows: number;
  /** tileRows·across */
  tiles: number;
  /** tiles, or 16 more when that is a multiple of 1 KB (L1 set aliasing). */
  stride: number;
}

/** Each variant's canonical parameters. */
export interface VariantParams {
  /** 1x1, stride 1, no pad, one group: per image Y[O, P] = act(bias + W[O, C] · X[C, P]), P = H·W.
   *  panel: a tiled kernel copies X through PANEL_FLOATS of scratch first, so the 4·K values a tile
   *  of the product reads at one pixel are consecutive: when X's rows lie a multiple of 1 KB apart
   *  (they would fall in one L1 set), or when X is larger than L2 (read a tile at a time, K rows
   *  apart, it defeats the prefetchers). */
  'conv-pointwise': { conv: ConvParams; panel: boolean };
  /** Depthwise (group = in = out channels) 3x3, dilation 1, stride 1, left and right pads at most 3. */
  'conv-depthwise3x3s1': { conv: ConvParams };
  /** Depthwise 3x3, dilation 1, horizontal stride 1 or 2, any vertical stride, left and right pads at most 3. */
  'conv-depthwise3x3': { conv: ConvParams };
  /** Any convolution (groups included), per output row of each group a product of the weights by
   *  the taps read in place from the band. Chosen for output rows of 16 pixels and more. */
  'conv-direct': { conv: ConvParams; band: BandLayout; col: ColLayout };
  /** Any convolution, as GEMMs over bands: per group, the band's patches copied into col, then
   *  Y = W · col over the band's pixels. Chosen for output rows shorter than 16 pixels, where a
   *  product's tiles run across rows. */
  'conv-im2col': { conv: ConvParams; band: BandLayout; col: ColLayout };
  /** 3x3, stride 1, dilation 1, one group, 8+ input and output channels, at least 2x2 outputs:
   *  per band, Y = A^T [U[ξ] · V[ξ]] A tile by tile (WinogradTiles), 2.25x fewer multiplications
   *  than the direct sum. `transformed` is U = G g G^T per output and input channel, [16, O, C]
   *  (ξ = 4·row + column of U). The band's width is 2·across + 2. Chosen before the general
   *  convolutions for outputs of 64 pixels and more an image, or small weights (lower/winograd.ts),
   *  after them otherwise. */
  'conv-winograd': { conv: ConvParams; band: BandLayout; tiles: WinogradTiles; transformed: Float32Array };
  /** y[m, n] = bias[n] + sum_k x[m, k] · weight[n, k]: x viewed as [M, K], weight [N, K]. */
  'inner-product': { M: number; K: number; N: number; weight: Float32Array; bias: Float32Array };
  'pool-max': { pool: PoolParams };
  'pool-ave': { pool: PoolParams };
  /** x viewed as [outer, channels, inner]: y = x·scale[c] + bias[c] (Scale, and BatchNorm). */
  'scale': { outer: number; channels: number; inner: number; scale: Float32Array; bias: Float32Array };
  /** y = act(x0 + x1); channel c = plane mod channels, planes of `inner` elements. */
  'eltwise-sum2': { channels: number; inner: number; activation: KernelActivation };
  /** y = act(sum_t coeffs[t]·x_t), or the product, or the maximum, of 2+ inputs; one coefficient per input. */
  'eltwise': { operation: 'sum' | 'prod' | 'max'; coeffs: number[]; channels: number; inner: number; activation: KernelActivation };
  'relu': { negativeSlope: number };
  /** y = x > 0 ? x : slope[c]·x, channel c = plane mod channels, planes of `inner` elements. */
  'prelu': { channels: number; inner: number; slope: Float32Array };
  'elu': { alpha: number };
  'sigmoid': {};
  'tanh': {};
  /** y = (shift + scale·x) ^ power */
  'power': { power: number; scale: number; shift: number };
  /** y = min(max(x, min), max) */
  'clamp': { min: number; max: number };
  /** Along the middle of x viewed as [outer, channels, inner]. */
  'softmax': { outer: number; channels: number; inner: number };
  /** Copies: output row o (of `outer`) is input t's row o (rows[t] floats), for each t in turn. */
  'concat': { outer: number; rows: number[] };
  /** Copies: output t's row o is the rows[t] floats at starts[t] of the input's row o (inRow floats). */
  'slice': { outer: number; inRow: number; rows: number[]; starts: number[] };
  /** No computation: into 'input', output t is the floats of input 0 from offsets[t] (Reshape, Flatten,
   *  Dropout, Split, a Slice with one outer row); into 'output', input t is the floats of output 0
   *  from offsets[t] (a Concat with one outer row, its inputs written in place by their producers). */
  'view': { view: { into: 'input' | 'output'; offsets: number[] } };
}

export type Variant = keyof VariantParams;

export interface KernelBase {
  /** The graph node this runs: its name and op, for messages and the profile. */
  name: string;
  op: OpName;
  inputs: string[];
  outputs: string[];
  inShapes: Shape[];
  outShapes: Shape[];
  /** Floats of scratch the memory plan reserves for this node (16-byte aligned; valid while it runs). */
  scratch: number;
}

/** The kernel node of variant V (of each of V's variants, when V is a union). */
export type KernelOf<V extends Variant> = V extends Variant ? KernelBase & { variant: V } & VariantParams[V] : never;

export type KernelNode = KernelOf<Variant>;

/** The lowered graph: what the memory plan places and a backend runs. */
export interface Program {
  name: string;
  /** Graph inputs with their (possibly overridden) shapes. */
  inputs: { name: string; shape: Shape }[];
  outputs: string[];
  /** Shape of every value. */
  shapes: Map<string, Shape>;
  /** One per graph node, in graph order. */
  kernels: KernelNode[];
}

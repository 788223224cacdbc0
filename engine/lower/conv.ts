// How a convolution runs: which variants its attributes and shapes allow (the first is chosen),
// its canonical parameters, and the layout of the scratch each variant works in.

import type { Shape } from '../graph/graph.js';
import type { NodeOf } from '../graph/ops.js';
import { kernelActivation } from './activation.js';
import { PANEL_FLOATS, type ConvParams, type KernelBase, type KernelOf } from './kernel-node.js';

export type ConvVariant = 'conv-pointwise' | 'conv-depthwise3x3s1' | 'conv-depthwise3x3' | 'conv-im2col' | 'conv-direct';

/** Output pixels per im2col band (whole output rows, at least one): B stays in cache. */
const BAND_PIXELS = 256;

/** The variants that can run `node` on input `x`, special shapes first. */
export function convVariants(node: NodeOf<'Conv'>, x: Shape): ConvVariant[] {
  const { kernel: [KH, KW], stride: [SH, SW], pad, dilation: [DH, DW], group, outChannels } = node.attrs;
  const variants: ConvVariant[] = [];
  if (KH === 1 && KW === 1 && SH === 1 && SW === 1 && pad.every((p) => p === 0) && group === 1) variants.push('conv-pointwise');
  if (KH === 3 && KW === 3 && DH === 1 && DW === 1 && group === x[1] && outChannels === x[1]) {
    if (SH === 1 && SW === 1) variants.push('conv-depthwise3x3s1');
    variants.push('conv-depthwise3x3');
  }
  if (group === 1) variants.push('conv-im2col');
  variants.push('conv-direct');
  return variants;
}

/** Whether rows `rowFloats` apart are a multiple of 1 KB apart: a column of them falls in one L1 set. */
const sameSet = (rowFloats: number) => (4 * rowFloats) % 1024 === 0;

/** The kernel node running `node` as `variant` (one of convVariants). */
export function convKernel(node: NodeOf<'Conv'>, variant: ConvVariant, base: KernelBase): KernelOf<ConvVariant> {
  const { kernel, stride, pad, dilation, group, outChannels, activation } = node.attrs;
  const conv: ConvParams = {
    kernel, stride, pad, dilation, group,
    weight: node.weights.weight.data,
    bias: node.weights.bias?.data ?? new Float32Array(outChannels),
    activation: kernelActivation(activation, node.weights.slope, outChannels),
  };
  const [, C, H, W] = base.inShapes[0];
  const [, , OH, OW] = base.outShapes[0];
  switch (variant) {
    case 'conv-pointwise': {
      // (With fewer than 8 rows the set's 8 ways hold them.)
      const panel = C >= 8 && sameSet(H * W);
      return { ...base, variant, conv, panel, scratch: panel ? PANEL_FLOATS : 0 };
    }
    case 'conv-depthwise3x3s1': case 'conv-depthwise3x3':
      // A plane with its zero border, for kernels that read the taps without bounds tests.
      return { ...base, variant, conv, scratch: (H + pad[0] + pad[2]) * (W + pad[1] + pad[3]) };
    case 'conv-im2col': {
      const rows = Math.min(OH, Math.max(1, Math.floor(BAND_PIXELS / OW)));
      let rowFloats = Math.ceil((rows * OW) / 4) * 4;
      if (sameSet(rowFloats)) rowFloats += 4;
      return { ...base, variant, conv, band: { rows, stride: rowFloats }, scratch: C * kernel[0] * kernel[1] * rowFloats };
    }
    case 'conv-direct':
      return { ...base, variant, conv };
  }
}

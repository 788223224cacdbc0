// The gpu.js backend's kernel table: one factory per op, chosen by an exhaustive switch
// (TypeScript rejects this function if an op has no case). Conv takes a special-shape kernel
// when one applies (conv-select.ts).

import type { Node, Shape } from '../../graph/graph.js';
import { batchNormKernel } from './batchnorm.js';
import { clampKernel } from './clamp.js';
import { concatKernel } from './concat.js';
import { convKernelFor } from './conv-select.js';
import { copyKernel } from './copy.js';
import { eltwiseKernel } from './eltwise.js';
import { eluKernel } from './elu.js';
import { innerProductKernel } from './inner-product.js';
import type { GpuKernel } from './kernel.js';
import { poolKernel } from './pool.js';
import { powerKernel } from './power.js';
import { preluKernel } from './prelu.js';
import { reluKernel } from './relu.js';
import { scaleKernel } from './scale.js';
import { sigmoidKernel } from './sigmoid.js';
import { sliceKernel } from './slice.js';
import { softmaxKernel } from './softmax.js';
import { tanhKernel } from './tanh.js';

/** The kernels of one node, one per output, from its inferred input and output shapes (at plan time). */
export function gpuKernels(node: Node, inShapes: Shape[], outShapes: Shape[]): GpuKernel[] {
  switch (node.op) {
    case 'Conv': return convKernelFor(node, inShapes)(node, inShapes, outShapes);
    case 'BatchNorm': return batchNormKernel(node, inShapes, outShapes);
    case 'Scale': return scaleKernel(node, inShapes, outShapes);
    case 'Relu': return reluKernel(node, inShapes, outShapes);
    case 'PRelu': return preluKernel(node, inShapes, outShapes);
    case 'Elu': return eluKernel(node, inShapes, outShapes);
    case 'Sigmoid': return sigmoidKernel(node, inShapes, outShapes);
    case 'TanH': return tanhKernel(node, inShapes, outShapes);
    case 'Power': return powerKernel(node, inShapes, outShapes);
    case 'Clamp': return clampKernel(node, inShapes, outShapes);
    case 'Eltwise': return eltwiseKernel(node, inShapes, outShapes);
    case 'Pool': return poolKernel(node, inShapes, outShapes);
    case 'InnerProduct': return innerProductKernel(node, inShapes, outShapes);
    case 'Softmax': return softmaxKernel(node, inShapes, outShapes);
    case 'Concat': return concatKernel(node, inShapes, outShapes);
    case 'Slice': return sliceKernel(node, inShapes, outShapes);
    case 'Reshape': case 'Flatten': case 'Dropout': case 'Split': return copyKernel(node, inShapes, outShapes);
  }
}

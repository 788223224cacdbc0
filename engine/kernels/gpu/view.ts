// A view (its values alias memory in the arena) as gpu.js kernels, for the pipeline, where values
// are gpu.js results: a copy of each part as one outer row of a slice, or of the parts side by
// side as one outer row of a concat.

import { sizeOf } from '../../graph/graph.js';
import { concatRows } from './concat.js';
import type { GpuKernelFactory } from './kernel.js';
import { sliceRows } from './slice.js';

export const viewKernel: GpuKernelFactory<'view'> = ({ view, inShapes, outShapes }) => (view.into === 'input'
  ? sliceRows(1, sizeOf(inShapes[0]), outShapes.map(sizeOf), view.offsets)
  : [concatRows(1, inShapes.map(sizeOf))]);

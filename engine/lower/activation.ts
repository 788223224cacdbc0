// An activation in kernel form: a prelu's slope becomes one value per channel (a shared slope,
// one value for every channel, is expanded here, so no kernel tests for it).

import { ModelError, type Tensor } from '../graph/graph.js';
import type { Activation } from '../graph/ops.js';
import type { KernelActivation } from './kernel-node.js';

/** `slope` (one value per channel, or one shared) as one value for each of `channels`. */
export function perChannelSlope(slope: Tensor, channels: number): Float32Array {
  const data = slope.data;
  if (data.length === channels) return data;
  if (data.length !== 1) throw new ModelError(`a prelu slope has ${data.length} values for ${channels} channels`);
  return new Float32Array(channels).fill(data[0]);
}

export function kernelActivation(act: Activation, slope: Tensor | undefined, channels: number): KernelActivation {
  if (act.kind !== 'prelu') return act;
  if (!slope) throw new ModelError('a prelu activation needs slope weights');
  return { kind: 'prelu', slope: perChannelSlope(slope, channels) };
}

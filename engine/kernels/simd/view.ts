// A view computes nothing: the memory plan places its values inside the value they view.

import type { SimdKernelFactory } from './kernel.js';

export const view: SimdKernelFactory<'view'> = () => ({ constants: [], emit: () => [] });

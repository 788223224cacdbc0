// Power: y = (shift + scale * x) ^ power. GLSL's pow is undefined for a negative base, so a
// whole power is taken of |base| and given the base's sign when odd (what Math.pow does).

import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const powerKernel: GpuKernelFactory<'power'> = ({ power, scale, shift, inShapes: [shape] }) => {
  const base = `const b = ${shift} + ${scale} * v;`;
  const code = !Number.isInteger(power) ? `${base}\n  v = Math.pow(b, ${power});`
    : `${base}\n  v = Math.pow(Math.abs(b), ${power});${power % 2 !== 0 ? '\n  if (b < 0) {\n    v = -v;\n  }' : ''}`;
  return [elementwiseKernel(planeGrid(shape), code)];
};

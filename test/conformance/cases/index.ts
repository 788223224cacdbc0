// The conformance cases of every variant, one file each (TypeScript rejects this table if a
// variant has none). Each file's cases run as that variant on every backend.

import type { Variant } from '../../../engine/lower/kernel-node.js';
import type { Case } from '../case.js';
import { cases as clamp } from './clamp.js';
import { cases as concat } from './concat.js';
import { cases as convDepthwise3x3 } from './conv-depthwise3x3.js';
import { cases as convDepthwise3x3s1 } from './conv-depthwise3x3s1.js';
import { cases as convDirect } from './conv-direct.js';
import { cases as convIm2col } from './conv-im2col.js';
import { cases as convPointwise } from './conv-pointwise.js';
import { cases as convWinograd } from './conv-winograd.js';
import { cases as eltwise } from './eltwise.js';
import { cases as eltwiseSum2 } from './eltwise-sum2.js';
import { cases as elu } from './elu.js';
import { cases as innerProduct } from './inner-product.js';
import { cases as poolAve } from './pool-ave.js';
import { cases as poolMax } from './pool-max.js';
import { cases as power } from './power.js';
import { cases as prelu } from './prelu.js';
import { cases as relu } from './relu.js';
import { cases as scale } from './scale.js';
import { cases as sigmoid } from './sigmoid.js';
import { cases as slice } from './slice.js';
import { cases as softmax } from './softmax.js';
import { cases as tanh } from './tanh.js';
import { cases as view } from './view.js';

export const CASES: Record<Variant, Case[]> = {
  'conv-pointwise': convPointwise,
  'conv-depthwise3x3s1': convDepthwise3x3s1,
  'conv-depthwise3x3': convDepthwise3x3,
  'conv-winograd': convWinograd,
  'conv-direct': convDirect,
  'conv-im2col': convIm2col,
  'inner-product': innerProduct,
  'pool-max': poolMax,
  'pool-ave': poolAve,
  'scale': scale,
  'eltwise-sum2': eltwiseSum2,
  'eltwise': eltwise,
  'relu': relu,
  'prelu': prelu,
  'elu': elu,
  'sigmoid': sigmoid,
  'tanh': tanh,
  'power': power,
  'clamp': clamp,
  'softmax': softmax,
  'concat': concat,
  'slice': slice,
  'view': view,
};

// Depthwise 3x3 convolutions with stride 1: the stride-1 cases of conv-depthwise3x3.ts.

import type { ConvCase } from '../case.js';
import { cases as depthwise } from './conv-depthwise3x3.js';

export const cases: ConvCase[] = depthwise.filter((p) => (p.stride ?? [1, 1]).every((s) => s === 1));

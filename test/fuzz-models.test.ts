// The fuzzer's fixed-seed slice for the model parsers: prototxt, caffemodel, OpenVINO IR.
import { describe } from 'vitest';
import { fuzzSlice } from './helpers/fuzz-slice.js';

describe('fuzz slice: models', () => {
  for (const name of ['prototxt', 'caffemodel', 'ir']) fuzzSlice(name);
});

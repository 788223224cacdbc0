// The fuzzer's fixed-seed slice for the image, .npy and gallery parsers (the model parsers are in
// fuzz-models.test.ts, so the two files run side by side).
import { describe } from 'vitest';
import { fuzzSlice } from './helpers/fuzz-slice.js';

describe('fuzz slice: files', () => {
  for (const name of ['jpeg', 'png', 'npy', 'gallery']) fuzzSlice(name);
});

// Test setup (vitest.config.ts): relaxed SIMD on, as Node 22+ and Chrome have it and the command
// line turns it on; the tests that need the plain kernels ask for createSimdBackend({ relaxed: false }).
import { enableRelaxedSimd } from '../../engine/relaxed-simd.js';

if (!enableRelaxedSimd()) throw new Error('relaxed SIMD is not available in this Node');

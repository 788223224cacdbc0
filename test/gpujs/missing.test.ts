// Without the optional package gpu.js, asking for a gpu.js device says how to get it, and the
// other devices do not need it: engine/devices.ts bundled (esbuild, gpu.js left external) and run
// by node in a folder where no node_modules can be found, so that import('gpu.js') really fails.

import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

it('says to install gpu.js for the gpu.js devices, and runs cpu and simd without it', async () => {
  const { outputFiles } = await build({
    stdin: {
      contents: `import { backendFor } from './engine/devices.ts';
        (async () => {
          for (const device of ['gpujs-webasm', 'gpujs-cpu', 'cpu', 'simd']) {
            console.log(device + ': ' + await backendFor(device).then((b) => 'backend ' + b.name, (e) => 'error ' + e.message));
          }
        })();`,
      resolveDir: fileURLToPath(new URL('../..', import.meta.url)), loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', external: ['gpu.js'], write: false, logLevel: 'error',
  });
  const child = spawnSync(process.execPath, ['-'], { cwd: tmpdir(), input: outputFiles[0].text, encoding: 'utf8', timeout: 60_000 });
  expect(child.stderr).toBe('');
  expect(child.stdout.trim().split('\n')).toEqual([
    'gpujs-webasm: error the gpujs-webasm device needs the optional package gpu.js: npm install gpu.js',
    'gpujs-cpu: error the gpujs-cpu device needs the optional package gpu.js: npm install gpu.js',
    'cpu: backend cpu',
    'simd: backend simd',
  ]);
});

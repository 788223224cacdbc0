// Bundles the command line: tsc's dist/cli/main.js and everything it imports (commander,
// protobufjs, the engine, …) → dist/bin/cli.cjs, one CommonJS file, and cli/start.ts → the
// executable dist/bin/main.js, which compiles that file with V8's code cache (cli/start.ts). Node
// reads two files instead of ~200 modules, and compiles next to nothing from source after the
// first run of a command (README, Start-up). The library (dist/index.js) stays unbundled.
//
//   node cli/build.mjs        after `tsc -b` (npm run build runs both)
//
// What the bundle needs that the modules had by where they lay:
//   - the entry files of the worker threads (--threads 2), which the bundle asks for beside
//     itself: each is written there as one line importing the library's own module;
//   - the keys of the WebAssembly and graph caches (engine/wasm/cache.ts and importer/graph-cache.ts
//     hash their source files, which are not beside the bundle): computed here and built in;
//   - `import.meta.url` (finding the package's root and models): the bundle's own file URL;
//   - gpu.js stays outside (an optional peer dependency, loaded only for a gpu.js device).
//
// A command's modules still start only when it is the command given: esbuild turns each dynamic
// import into a call that initialises the module then, so `facereid --help` runs no model code.

import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bin');
const { generatorHash } = await import(join(DIST, 'engine', 'wasm', 'cache.js'));
const { importerHash } = await import(join(DIST, 'importer', 'graph-cache.js'));
const hash = generatorHash();
const importer = importerHash();
if (typeof hash !== 'string' || typeof importer !== 'string') throw new Error(`cli/build.mjs: cannot hash the WebAssembly generator's or the importer's source under ${DIST}`);

rmSync(OUT, { recursive: true, force: true });
// Comments and spaces dropped (names kept, for profiles): half the bytes to read and scan, and
// all ASCII (one byte a character in V8, where one non-ASCII comment makes every character two).
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', minifyWhitespace: true, charset: 'ascii' };
// The program: one CommonJS file, so that the start can compile it with V8's code cache.
await esbuild.build({
  ...common,
  entryPoints: [join(DIST, 'cli', 'main.js')],
  outfile: join(OUT, 'cli.cjs'),
  format: 'cjs',
  external: ['gpu.js'],
  supported: { 'dynamic-import': false }, // import('gpu.js') becomes require('gpu.js'): no loader callback needed inside a vm.Script
  define: { FACEREID_GENERATOR_HASH: JSON.stringify(hash), FACEREID_IMPORTER_HASH: JSON.stringify(importer), 'import.meta.url': 'importMetaUrl_' },
  banner: { js: "var importMetaUrl_ = require('node:url').pathToFileURL(__filename).href;" },
});
// The executable (package.json's bin): the start, which runs the program.
await esbuild.build({ ...common, entryPoints: [join(DIST, 'cli', 'start.js')], outfile: join(OUT, 'main.js'), format: 'esm' });
// The worker threads' entries, where the bundle's `new URL('./<name>.js', import.meta.url)` finds them.
for (const worker of ['rmnet/mtcnn/parallel-worker.js', 'engine/pool-worker.js']) {
  writeFileSync(join(OUT, worker.split('/').pop()), `// The worker thread's entry beside the bundle (cli/build.mjs).\nimport '../${worker}';\n`);
}

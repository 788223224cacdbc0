// Where models are found. A model is a folder `<name>/` holding `<name>.prototxt` and
// `<name>.caffemodel`, looked up in the directory the caller names (`--models`) and then
// $FACEREID_MODELS; when neither is set, in `../shared/models` beside the package root.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../engine/graph/graph.js';

export const RMNET = 'face-reidentification-retail-0001';

/** The package root: the nearest folder above this file holding package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The model directories to search, in order. */
export function modelDirs(models?: string): string[] {
  const named = [models, process.env.FACEREID_MODELS].filter((d): d is string => !!d);
  return (named.length > 0 ? named : [join(packageRoot(), '..', 'shared', 'models')]).map((d) => resolve(d));
}

export interface CaffeFiles {
  prototxt: string;
  caffemodel: string;
}

/** Finds a model's Caffe files by name; the error names every place tried. */
export function findCaffeModel(name: string, models?: string): CaffeFiles {
  const tried: string[] = [];
  for (const dir of modelDirs(models)) {
    const files = { prototxt: join(dir, name, `${name}.prototxt`), caffemodel: join(dir, name, `${name}.caffemodel`) };
    if (existsSync(files.prototxt) && existsSync(files.caffemodel)) return files;
    tried.push(join(dir, name, `${name}.{prototxt,caffemodel}`));
  }
  throw new ModelError(`model '${name}' not found; tried:\n  ${tried.join('\n  ')}\n` +
    `(set --models DIR or FACEREID_MODELS to the folder holding ${name}/)`);
}

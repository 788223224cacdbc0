// Where models are found. A model named NAME is the folder NAME/ of a models folder, holding its
// OpenVINO IR as Open Model Zoo publishes it (FP32/NAME.xml + FP32/NAME.bin: raw floats, nothing
// to decode) or its Caffe form (NAME.prototxt + NAME.caffemodel); MTCNN is the folder mtcnn/.
// The models folders, searched in order: the caller's (`--models DIR` / `{ models }`),
// $FACEREID_MODELS, then the package's own models/ (RMNet's FP32 IR and MTCNN ship there).
// Files found in a folder with a manifest.json are checked against their SHA-256 (manifest.ts).

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelError } from '../engine/graph/graph.js';
import { verifyModelFiles } from './manifest.js';
import { packageRoot } from './package-root.js';

/** The models that ship with the package. */
export const packageModels = () => join(packageRoot(), 'models');

/** The models folders to search, in order. A folder named by the caller or $FACEREID_MODELS must exist. */
export function modelDirs(models?: string): string[] {
  const dirs: string[] = [];
  for (const [dir, from] of [[models, ''], [process.env.FACEREID_MODELS, ' (FACEREID_MODELS)']]) {
    if (!dir) continue;
    if (!existsSync(dir)) throw new ModelError(`models folder ${resolve(dir)}${from} not found`);
    dirs.push(resolve(dir));
  }
  return [...new Set([...dirs, packageModels()])];
}

export interface CaffeFiles {
  prototxt: string;
  caffemodel: string;
}

/** A model not in any models folder: the message lists every place tried and how to name another folder. */
export class ModelNotFoundError extends ModelError {
  constructor(readonly what: string, readonly folder: string, readonly tried: readonly string[]) {
    super('');
    this.message = this.explain('{ models: DIR }');
  }

  /** The message, telling how to name a models folder with `option` (the command line says `--models DIR`). */
  explain(option: string): string {
    return `${this.what} not found; tried:\n  ${this.tried.join('\n  ')}\n` +
      `(give ${option} or set FACEREID_MODELS to a folder holding ${this.folder}/)`;
  }
}

/** One way a model's files can lie in its folder: paths relative to it, and how an error shows them. */
export interface Layout {
  files: string[];
  shown: string;
}

/**
 * The paths of the files of `folder`/ in the first models folder holding every file of one of
 * `layouts` (tried in order in each folder), verified against that folder's manifest.
 */
export function findModelFiles(what: string, folder: string, layouts: readonly Layout[], models?: string): string[] {
  const tried: string[] = [];
  for (const dir of modelDirs(models)) {
    for (const layout of layouts) {
      const paths = layout.files.map((file) => join(dir, folder, file));
      if (paths.every((path) => existsSync(path))) {
        verifyModelFiles(dir, folder, layout.files);
        return paths;
      }
      tried.push(join(dir, folder, layout.shown));
    }
  }
  throw new ModelNotFoundError(what, folder, tried);
}

/** A model's main file (.xml or .prototxt) and its weights (.bin or .caffemodel). */
export interface ModelFiles {
  model: string;
  weights: string;
}

/** The forms a named model may take in its folder. */
export const MODEL_FORMS = {
  ir: (name: string): Layout => ({ files: [`FP32/${name}.xml`, `FP32/${name}.bin`], shown: `FP32/${name}.{xml,bin}` }),
  caffe: (name: string): Layout => ({ files: [`${name}.prototxt`, `${name}.caffemodel`], shown: `${name}.{prototxt,caffemodel}` }),
};
export type ModelForm = keyof typeof MODEL_FORMS;

/** Finds a model's files by name, in the first of `forms` present (default: the FP32 IR, else Caffe). */
export function findModel(name: string, models?: string, forms: readonly ModelForm[] = ['ir', 'caffe']): ModelFiles {
  const [model, weights] = findModelFiles(`model '${name}'`, name, forms.map((form) => MODEL_FORMS[form](name)), models);
  return { model, weights };
}

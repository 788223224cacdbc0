// Command-line argument handling shared by the commands.

import { parseArgs } from 'node:util';
import { compile, type CompiledModel } from '../engine/compile.js';
import type { Graph } from '../engine/graph/graph.js';
import { loadModel } from '../importer/index.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** node's parseArgs (strict, with positionals), its complaints turned into UsageErrors. */
export const parse = ((config) => {
  try {
    return parseArgs({ strict: true, ...config });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}) as typeof parseArgs;

/** A numeric option, checked. */
export function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${value}'`);
  return n;
}

/** The options every model-using command takes: --model NAME|FILE, --weights FILE, --models DIR,
 *  and --flip (average each face's embedding with its mirror image's). */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  weights: { type: 'string' },
  models: { type: 'string' },
  flip: { type: 'boolean' },
} as const;

export type ModelValues = { model?: string; weights?: string; models?: string; flip?: boolean; batch?: string };

/** The model a command names (positional NAME|FILE, or --model), imported and compiled with the passes on. */
export async function loadCompiled(command: string, positionals: string[], values: ModelValues): Promise<{ imported: Graph; net: CompiledModel }> {
  const named = values.model === undefined ? positionals : [...positionals, values.model];
  if (named.length !== 1) throw new UsageError(`${command} needs one model (a name, .prototxt or .xml), got ${named.length}`);
  const imported = await loadModel({ model: named[0], weights: values.weights, models: values.models });
  const batch = values.batch === undefined ? undefined : numberOption(values.batch, 'batch', 1);
  return { imported, net: compile(imported, { batch }) };
}

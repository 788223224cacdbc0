// Command-line argument handling shared by the commands.

import { parseArgs } from 'node:util';
import { compile, type CompiledModel } from '../engine/compile.js';
import { backendFor, DEVICES, type Device } from '../engine/devices.js';
import type { Graph } from '../engine/graph/graph.js';
import { loadModel } from '../importer/index.js';
import type { EmbedderOptions } from '../rmnet/embedder.js';

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
 *  --flip (average each face's embedding with its mirror image's) and --device (engine/devices.ts). */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  weights: { type: 'string' },
  models: { type: 'string' },
  flip: { type: 'boolean' },
  device: { type: 'string' },
} as const;

/** The parsed model options as the library takes them. */
export function modelOptions(values: ModelValues): EmbedderOptions {
  return { model: values.model, weights: values.weights, models: values.models, flip: values.flip, device: deviceOption(values.device) };
}

/** Checks a --device value against the known devices. */
export function deviceOption(value: string | undefined): Device | undefined {
  if (value !== undefined && !(DEVICES as readonly string[]).includes(value)) {
    throw new UsageError(`--device must be one of ${DEVICES.join(', ')}; got '${value}'`);
  }
  return value as Device | undefined;
}

export type ModelValues = { model?: string; weights?: string; models?: string; flip?: boolean; device?: string; batch?: string };

/** The model a command names (positional NAME|FILE, or --model), imported and compiled with the passes on. */
export async function loadCompiled(command: string, positionals: string[], values: ModelValues): Promise<{ imported: Graph; net: CompiledModel }> {
  const named = values.model === undefined ? positionals : [...positionals, values.model];
  if (named.length !== 1) throw new UsageError(`${command} needs one model (a name, .prototxt or .xml), got ${named.length}`);
  const imported = await loadModel({ model: named[0], weights: values.weights, models: values.models });
  const batch = values.batch === undefined ? undefined : numberOption(values.batch, 'batch', 1);
  return { imported, net: compile(imported, { batch, backend: await backendFor(deviceOption(values.device) ?? 'cpu') }) };
}

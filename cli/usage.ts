// Command-line argument handling shared by the commands.

import { parseArgs } from 'node:util';

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

/** The options every model-using command takes: --model NAME|FILE, --weights FILE, --models DIR. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  weights: { type: 'string' },
  models: { type: 'string' },
} as const;

// The optimiser: the passes in the order they run. Each reports its rewrites.

import type { Graph } from '../graph.js';
import { dropIdentities } from './drop-identities.js';
import { batchNormToScale } from './fold-batchnorm.js';
import { foldScale } from './fold-scale.js';
import { fuseActivations } from './fuse-activations.js';
import type { Pass } from './pass.js';

export const PASSES: readonly { name: string; run: Pass }[] = [
  { name: 'drop-identities', run: dropIdentities },
  { name: 'batchnorm-to-scale', run: batchNormToScale },
  { name: 'fold-scale', run: foldScale },
  { name: 'fuse-activations', run: fuseActivations },
];

export interface PassReport {
  pass: string;
  changes: string[];
}

/** Runs every pass once, in order; returns the optimised graph and what each pass did. */
export function optimize(graph: Graph): { graph: Graph; report: PassReport[] } {
  const report: PassReport[] = [];
  for (const pass of PASSES) {
    const result = pass.run(graph);
    graph = result.graph;
    report.push({ pass: pass.name, changes: result.changes });
  }
  return { graph, report };
}

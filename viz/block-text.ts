// What the network diagram says about each block: a title, one line per op, and the output shape.
// A block that ends by merging paths from its input (Eltwise) is a residual block — a
// downsampling block when it changes the spatial size — listed as its longest path, then each
// other path marked "skip", then the merge.

import type { Node, Shape } from '../engine/graph/graph.js';
import type { Activation } from '../engine/graph/ops.js';
import { spatialSize, type Block, type BlockRun } from './structure.js';

export type BoxKind = 'io' | 'op' | 'residual' | 'downsampling';

export interface BoxText {
  kind: BoxKind;
  title: string;
  lines: string[];
  /** The output shape without the batch, e.g. "32x64x64". */
  output: string;
}

export const shapeText = (shape: Shape) => shape.slice(1).join('x');

export function blockText({ block, count }: BlockRun, shapes: Map<string, Shape>): BoxText {
  const repeat = count > 1 ? ` ×${count}` : '';
  const output = shapeText(shapes.get(block.output)!);
  const describe = (node: Node) => describeNode(node, shapes);
  const paths = mergedPaths(block);
  if (!paths) {
    const [first] = block.nodes;
    return block.nodes.length === 1
      ? { kind: 'op', title: describe(first) + repeat, lines: [], output }
      : { kind: 'op', title: `${block.nodes.length} ops${repeat}`, lines: block.nodes.map(describe), output };
  }
  const [inH, inW] = spatialSize(shapes.get(block.input)!);
  const [outH, outW] = spatialSize(shapes.get(block.output)!);
  const kind = inH === outH && inW === outW ? 'residual' : 'downsampling';
  const [main, ...skips] = paths.sort((a, b) => b.length - a.length);
  const lines = [
    ...main.map(describe),
    ...skips.flatMap((path) => (path.length === 0 ? ['skip: identity'] : path.map((node) => `skip: ${describe(node)}`))),
    describe(block.nodes[block.nodes.length - 1]),
  ];
  return { kind, title: `${kind} block${repeat}`, lines, output };
}

/** One op in a few words: "3x3/2 dw conv 16, ELU", "1x1 conv 32→8", "2x2/2 max-pool", "add, ELU". */
export function describeNode(node: Node, shapes: Map<string, Shape>): string {
  switch (node.op) {
    case 'Conv': {
      const { kernel, stride, group, outChannels, activation } = node.attrs;
      const inChannels = shapes.get(node.inputs[0])![1];
      const conv = group > 1 && group === inChannels && group === outChannels ? `dw conv ${outChannels}`
        : `conv ${inChannels}→${outChannels}${group > 1 ? ` (${group} groups)` : ''}`;
      return `${windowText(kernel, stride)} ${conv}${activationText(activation)}`;
    }
    case 'Pool': {
      const method = node.attrs.method === 'max' ? 'max-pool' : 'avg-pool';
      return node.attrs.global ? `global ${method}` : `${windowText(node.attrs.kernel, node.attrs.stride)} ${method}`;
    }
    case 'Eltwise':
      return { sum: 'add', prod: 'multiply', max: 'max' }[node.attrs.operation] + activationText(node.attrs.activation);
    case 'Scale':
      return node.weights.bias ? 'per-channel scale + shift' : 'per-channel scale';
    case 'InnerProduct':
      return `fully connected →${node.attrs.outputs}`;
    default:
      return node.op;
  }
}

/** "3x3", "3x3/2", "2x3/1x2". */
function windowText(kernel: [number, number], stride: [number, number]): string {
  const size = (pair: [number, number]) => (pair[0] === pair[1] ? `${pair[0]}x${pair[0]}` : `${pair[0]}x${pair[1]}`);
  const strided = stride[0] !== 1 || stride[1] !== 1;
  return `${size(kernel)}${strided ? `/${stride[0] === stride[1] ? stride[0] : size(stride)}` : ''}`;
}

function activationText(activation: Activation): string {
  switch (activation.kind) {
    case 'none': return '';
    case 'relu': return activation.negativeSlope === 0 ? ', ReLU' : ', leaky ReLU';
    case 'elu': return ', ELU';
    case 'prelu': return ', PReLU';
  }
}

/**
 * When the block's last node merges several inputs, each reached from the block's input by a
 * chain of one-input nodes inside the block, and those chains hold all its other nodes: the
 * chains (empty for the input itself). Else null.
 */
function mergedPaths(block: Block): Node[][] | null {
  const last = block.nodes[block.nodes.length - 1];
  if (block.nodes.length < 2 || last.inputs.length < 2) return null;
  const producer = new Map(block.nodes.flatMap((node) => node.outputs.map((name) => [name, node] as const)));
  const paths: Node[][] = [];
  for (let name of last.inputs) {
    const path: Node[] = [];
    while (name !== block.input) {
      const node = producer.get(name);
      if (!node || node.inputs.length !== 1) return null;
      path.unshift(node);
      name = node.inputs[0];
    }
    paths.push(path);
  }
  const onPaths = paths.reduce((n, path) => n + path.length, 1);
  return onPaths === block.nodes.length ? paths : null;
}

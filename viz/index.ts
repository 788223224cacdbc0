// Pictures of a network run on one image: one PNG of feature maps per stage (the last
// bottleneck value at each resolution, see structure.ts) and an SVG of the network's structure.
// Both come from the optimised graph: its values are whole layers (convolution, normalisation
// and activation fused), so every value pictured is a layer's real output.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compile } from '../engine/compile.js';
import { ModelError, type Graph } from '../engine/graph/graph.js';
import { toPixels, type ImageInput } from '../rmnet/image-input.js';
import { resizeInto } from '../rmnet/preprocess.js';
import { shapeText } from './block-text.js';
import { networkDiagram } from './diagram.js';
import { featureMapPicture } from './feature-maps.js';
import { networkStages } from './structure.js';

/**
 * Runs `graph` (one RGB input [1, 3, S, S], 0..255) on the image resized to S x S and writes into
 * `outDir` (created if missing) `stage-<k>-<H>x<W>.png` for each stage and `network.svg`.
 * Returns the paths written, stages in order, then the SVG.
 */
export async function writeInspectPictures(graph: Graph, image: ImageInput, outDir: string): Promise<string[]> {
  const [input] = graph.inputs;
  const [, channels, height, width] = input.shape;
  if (input.shape.length !== 4 || channels !== 3 || height !== width) {
    throw new ModelError(`${graph.name}: pictures need one square RGB input [N,3,S,S], '${input.name}' is [${input.shape.join(',')}]`);
  }
  const net = compile(graph, { batch: 1, keepAll: true });
  const tensor = new Float32Array(3 * height * width);
  resizeInto(await toPixels(image), tensor, 0, height);
  net.run({ [input.name]: tensor });

  await mkdir(outDir, { recursive: true });
  const paths: string[] = [];
  for (const stage of networkStages(net.graph, net.shapes)) {
    const shape = net.shapes.get(stage.output)!;
    const picture = featureMapPicture({ title: `stage ${stage.index} · ${shapeText(shape)}`, value: stage.output, shape, data: net.value(stage.output) });
    const path = join(outDir, `stage-${stage.index}-${stage.size[0]}x${stage.size[1]}.png`);
    await writeFile(path, picture.toPng());
    paths.push(path);
  }
  const svg = join(outDir, 'network.svg');
  await writeFile(svg, networkDiagram(net.graph, net.shapes));
  return [...paths, svg];
}

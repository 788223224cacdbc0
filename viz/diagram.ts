// An SVG diagram of a network's structure (a string, no dependencies): one horizontal band per
// stage (its resolution and channels on the left), its blocks as boxes left to right, a run of
// identical blocks drawn once as a stacked box titled "×N". The line from one band's last box
// to the next band's first box is where the resolution changes (the downsampling block opens
// the next band). Text widths are estimated from the font size (plain sans-serif text).

import type { Graph, Shape } from '../engine/graph/graph.js';
import { blockText, shapeText, type BoxKind, type BoxText } from './block-text.js';
import { networkStages, type Stage } from './structure.js';

const MARGIN = 16;
const HEADER = 56;
const LABEL_WIDTH = 110;
const BAND_PAD = 14;
const BAND_GAP = 30;
const ARROW = 36;
const BOX_PAD = 10;
const ROW = 15;
/** Offset of each of the two sheets drawn behind a repeated block. */
const SHEET = 3;
const FILL: Record<BoxKind, string> = { io: '#eeeeee', op: '#ffffff', residual: '#e3eefc', downsampling: '#fde9cf' };
const INK = '#445066';

interface Box {
  text: BoxText;
  repeated: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Estimated width of sans-serif text (generous: wide glyphs and bold). */
const textWidth = (text: string, size: number, bold = false) => [...text].length * size * (bold ? 0.64 : 0.58);

export function networkDiagram(graph: Graph, shapes: Map<string, Shape>): string {
  const stages = networkStages(graph, shapes);
  const input = graph.inputs[0];
  const outputs = graph.outputs;
  const io = (title: string, output: string): BoxText => ({ kind: 'io', title, lines: [], output });

  let y = MARGIN + HEADER;
  const bands = stages.map((stage) => {
    const texts = stage.runs.map((run) => ({ text: blockText(run, shapes), repeated: run.count > 1 }));
    if (stage.index === 0) texts.unshift({ text: io(`input ${input.name}`, shapeText(input.shape)), repeated: false });
    if (stage.index === stages.length - 1) {
      texts.push({ text: io(`output ${outputs.join(', ')}`, outputs.map((name) => shapeText(shapes.get(name)!)).join(', ')), repeated: false });
    }
    let x = MARGIN + LABEL_WIDTH;
    const boxes: Box[] = texts.map(({ text, repeated }) => {
      const width = Math.ceil(2 * BOX_PAD + Math.max(textWidth(text.title, 13, true), ...text.lines.map((l) => textWidth(l, 12)), textWidth(`→ ${text.output}`, 11)));
      const box = { text, repeated, x, y: y + BAND_PAD, width, height: 2 * BOX_PAD + ROW * (text.lines.length + 2) };
      x += width + ARROW;
      return box;
    });
    const height = Math.max(...boxes.map((b) => b.height)) + 2 * BAND_PAD + 2 * SHEET;
    const band = { stage, boxes, y, height, right: x - ARROW + 2 * SHEET + BAND_PAD };
    y += height + BAND_GAP;
    return band;
  });
  const width = Math.ceil(Math.max(...bands.map((b) => b.right), MARGIN + textWidth(graph.name, 16, true)) + MARGIN);
  const height = y - BAND_GAP + MARGIN;

  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${INK}"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(MARGIN, MARGIN + 18, graph.name, 16, '#111111', true),
    text(MARGIN, MARGIN + 38, `${graph.nodes.length} nodes; one band per resolution; identical blocks in a row drawn once, ×N`, 12, '#555555'),
  ];
  bands.forEach((band, i) => {
    svg.push(`<rect x="${MARGIN}" y="${band.y}" width="${width - 2 * MARGIN}" height="${band.height}" rx="8" fill="${i % 2 ? '#f1f4f9' : '#f7f9fc'}" stroke="#d5dce8"/>`);
  });
  bands.forEach((band, i) => {
    svg.push(...stageLabel(band.stage, band.y, shapes));
    band.boxes.forEach((box, k) => {
      svg.push(...drawBox(box));
      const next = band.boxes[k + 1];
      const arrowY = box.y + BOX_PAD + ROW / 2;
      if (next) svg.push(arrow([[box.x + box.width + (box.repeated ? 2 * SHEET : 0), arrowY], [next.x, arrowY]]));
    });
    const following = bands[i + 1];
    if (following) {
      const from = band.boxes[band.boxes.length - 1];
      const to = following.boxes[0];
      const fromX = from.x + from.width / 2, toX = to.x + to.width / 2;
      const middle = band.y + band.height + BAND_GAP / 2;
      svg.push(arrow([[fromX, from.y + from.height + (from.repeated ? 2 * SHEET : 0)], [fromX, middle], [toX, middle], [toX, to.y]]));
    }
  });
  svg.push('</svg>');
  return svg.join('\n') + '\n';
}

function stageLabel(stage: Stage, top: number, shapes: Map<string, Shape>): string[] {
  const channels = shapes.get(stage.output)![1];
  return [
    text(MARGIN + 12, top + 28, `stage ${stage.index}`, 15, '#111111', true),
    text(MARGIN + 12, top + 48, `${stage.size[0]}x${stage.size[1]}`, 13, '#222222'),
    text(MARGIN + 12, top + 66, `${channels} channels`, 12, '#555555'),
  ];
}

function drawBox({ text: t, repeated, x, y, width, height }: Box): string[] {
  const rect = (dx: number) => `<rect x="${x + dx}" y="${y + dx}" width="${width}" height="${height}" rx="4" fill="${FILL[t.kind]}" stroke="${INK}"/>`;
  const baseline = (row: number) => y + BOX_PAD + ROW * row + 11;
  return [
    ...(repeated ? [rect(2 * SHEET), rect(SHEET)] : []),
    rect(0),
    text(x + BOX_PAD, baseline(0), t.title, 13, '#111111', true),
    ...t.lines.map((line, i) => text(x + BOX_PAD, baseline(i + 1), line, 12, '#333333')),
    text(x + BOX_PAD, baseline(t.lines.length + 1), `→ ${t.output}`, 11, '#666666'),
  ];
}

function text(x: number, y: number, content: string, size: number, fill: string, bold = false): string {
  return `<text x="${x}" y="${y}" font-size="${size}"${bold ? ' font-weight="bold"' : ''} fill="${fill}">${escapeXml(content)}</text>`;
}

function arrow(points: [number, number][]): string {
  return `<polyline points="${points.map((p) => p.join(',')).join(' ')}" fill="none" stroke="${INK}" stroke-width="1.5" marker-end="url(#arrow)"/>`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

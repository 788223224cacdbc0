// A picture of an ROC curve, as SVG text or a PNG (drawn on viz/canvas.ts). The picture is laid
// out once as a list of lines and labels; each format only renders that list.

import { Canvas, type Rgb } from '../viz/canvas.js';
import { GLYPH_HEIGHT, textWidth } from '../viz/font.js';
import type { Roc } from './roc.js';

/** The plot's square, and the margins around it. */
const PLOT = 400;
const LEFT = 56, RIGHT = 16, TOP = 36, BOTTOM = 44;
const WIDTH = LEFT + PLOT + RIGHT, HEIGHT = TOP + PLOT + BOTTOM;
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];
const CHANCE: Rgb = [170, 170, 170];
const CURVE: Rgb = [31, 100, 180];

interface Line { x0: number; y0: number; x1: number; y1: number; colour: Rgb; width: number }
/** Text anchored at its top-left (x, y); `centre` anchors it at its top centre instead. */
interface Label { x: number; y: number; text: string; centre?: boolean }

/** The curve's picture as lines and labels on a WIDTH x HEIGHT canvas. */
function layout(curve: Roc, title: string): { lines: Line[]; labels: Label[] } {
  const px = (fpr: number) => LEFT + fpr * PLOT;
  const py = (tpr: number) => TOP + (1 - tpr) * PLOT;
  const lines: Line[] = [];
  const labels: Label[] = [{ x: WIDTH / 2, y: 12, text: `${title} · AUC ${curve.auc.toFixed(4)}`, centre: true }];
  for (let i = 0; i <= 5; i++) {
    const t = i / 5;
    lines.push({ x0: px(t), y0: py(0), x1: px(t), y1: py(1), colour: GRID, width: 1 });
    lines.push({ x0: px(0), y0: py(t), x1: px(1), y1: py(t), colour: GRID, width: 1 });
    labels.push({ x: px(t), y: py(0) + 6, text: t.toFixed(1), centre: true });
    labels.push({ x: px(0) - 6 - textWidth(t.toFixed(1)), y: py(t) - GLYPH_HEIGHT / 2, text: t.toFixed(1) });
  }
  lines.push({ x0: px(0), y0: py(0), x1: px(1), y1: py(1), colour: CHANCE, width: 1 });
  for (const [x0, y0, x1, y1] of [[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 1, 1], [0, 1, 1, 1]]) {
    lines.push({ x0: px(x0), y0: py(y0), x1: px(x1), y1: py(y1), colour: INK, width: 1 });
  }
  curve.points.forEach((p, i) => {
    if (i === 0) return;
    const q = curve.points[i - 1];
    lines.push({ x0: px(q.fpr), y0: py(q.tpr), x1: px(p.fpr), y1: py(p.tpr), colour: CURVE, width: 2 });
  });
  labels.push({ x: px(0.5), y: HEIGHT - 18, text: 'false positive rate', centre: true });
  labels.push({ x: 4, y: TOP - 14, text: 'true positive rate' });
  return { lines, labels };
}

export function rocSvg(curve: Roc, title: string): string {
  const { lines, labels } = layout(curve, title);
  const rgb = ([r, g, b]: Rgb) => `rgb(${r},${g},${b})`;
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = [
    ...lines.map((l) => `<line x1="${l.x0}" y1="${l.y0}" x2="${l.x1}" y2="${l.y1}" stroke="${rgb(l.colour)}" stroke-width="${l.width}"/>`),
    ...labels.map((t) => `<text x="${t.x}" y="${t.y + GLYPH_HEIGHT}"${t.centre ? ' text-anchor="middle"' : ''}>${escape(t.text)}</text>`),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11" fill="${rgb(INK)}">\n`
    + `<rect width="${WIDTH}" height="${HEIGHT}" fill="${rgb(WHITE)}"/>\n${body.join('\n')}\n</svg>\n`;
}

export function rocPng(curve: Roc, title: string): Uint8Array {
  const { lines, labels } = layout(curve, title);
  const canvas = new Canvas(WIDTH, HEIGHT, WHITE);
  for (const l of lines) canvas.line(l.x0, l.y0, l.x1, l.y1, l.colour, l.width);
  for (const t of labels) canvas.text(t.centre ? t.x - textWidth(t.text) / 2 : t.x, t.y, t.text, INK);
  return canvas.toPng();
}

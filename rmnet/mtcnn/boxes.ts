// Boxes as the MTCNN cascade passes them along: corners in image pixels, in continuous
// coordinates (pixel (i, j) covers [i, i + 1) x [j, j + 1)), so a box is x2 - x1 wide. The authors'
// MATLAB code counts 1-based inclusive pixels instead (x1' = x1 + 1, x2' = x2, width x2' - x1' + 1):
// the same box, the same widths, so their formulas carry over unchanged.

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The face probability of the stage that last judged the box. */
  score: number;
}

/**
 * Box regression ("bbreg"): each side moves by its offset times the box's width (x) or height (y).
 * `offsets[at .. at + 3]` are dx1, dy1, dx2, dy2 in image axes, as every MTCNN net outputs them.
 */
export function regress(box: Box, offsets: ArrayLike<number>, at = 0): Box {
  const width = box.x2 - box.x1;
  const height = box.y2 - box.y1;
  return {
    x1: box.x1 + offsets[at] * width,
    y1: box.y1 + offsets[at + 1] * height,
    x2: box.x2 + offsets[at + 2] * width,
    y2: box.y2 + offsets[at + 3] * height,
    score: box.score,
  };
}

/** The square with the box's centre and its longer side ("rerec"): the next net's crop. */
export function square(box: Box): Box {
  const side = Math.max(box.x2 - box.x1, box.y2 - box.y1);
  const x1 = (box.x1 + box.x2 - side) / 2;
  const y1 = (box.y1 + box.y2 - side) / 2;
  return { x1, y1, x2: x1 + side, y2: y1 + side, score: box.score };
}

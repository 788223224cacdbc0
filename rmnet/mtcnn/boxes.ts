// Boxes as the MTCNN cascade passes them along: corners in image pixels, in continuous
// coordinates (pixel (i, j) covers [i, i + 1) x [j, j + 1)), so a box is x2 - x1 wide. The authors'
// MATLAB code counts 1-based inclusive pixels instead (x1' = x1 + 1, x2' = x2, width x2' - x1' + 1):
// the same box, the same widths, so their formulas carry over unchanged.
//
// The candidates of a photo live in one growing Float64Array, a fixed record per box, reused
// from photo to photo: a stage appends, filters and reorders records without allocating per box.

/** A box's record: its corners, the face probability of the stage that last judged it, the
 *  regression that stage proposes (dx1, dy1, dx2, dy2 in image axes, as fractions of the box's
 *  width or height), and — from O-Net on — five landmarks (x1 … x5, then y1 … y5, image pixels). */
export const X1 = 0, Y1 = 1, X2 = 2, Y2 = 3, SCORE = 4, OFFSETS = 5, LANDMARKS = 9;
const FIELDS = 19;

export class Boxes {
  count = 0;
  /** FIELDS numbers per box, box i from i * FIELDS (see X1 … LANDMARKS). */
  records = new Float64Array(64 * FIELDS);

  clear(): void {
    this.count = 0;
  }

  /** Appends a box (its regression and landmarks zero); returns where its record starts. */
  push(x1: number, y1: number, x2: number, y2: number, score: number): number {
    if ((this.count + 1) * FIELDS > this.records.length) {
      const grown = new Float64Array(2 * this.records.length);
      grown.set(this.records);
      this.records = grown;
    }
    const at = this.count++ * FIELDS;
    const r = this.records;
    r.fill(0, at, at + FIELDS);
    r[at + X1] = x1;
    r[at + Y1] = y1;
    r[at + X2] = x2;
    r[at + Y2] = y2;
    r[at + SCORE] = score;
    return at;
  }

  /** Appends `count` whole records (as `records` of another store holds them, from its start). */
  append(records: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const at = this.push(0, 0, 0, 0, 0);
      for (let k = 0; k < FIELDS; k++) this.records[at + k] = records[i * FIELDS + k];
    }
  }

  /** Boxes from … until - 1's records, back to back (a copy). */
  slice(from: number, until: number): Float64Array {
    return this.records.slice(from * FIELDS, until * FIELDS);
  }

  /** Appends a copy of box i of `from` (all of its record). */
  copy(from: Boxes, i: number): number {
    const source = i * FIELDS;
    const r = from.records;
    const at = this.push(r[source + X1], r[source + Y1], r[source + X2], r[source + Y2], r[source + SCORE]);
    for (let k = OFFSETS; k < FIELDS; k++) this.records[at + k] = r[source + k];
    return at;
  }

  /** Where box i's record starts. */
  at(i: number): number {
    return i * FIELDS;
  }

  /**
   * Box regression ("bbreg") of every box by its own offsets: each side moves by its offset times
   * the box's width (x) or height (y). With `squared`, each box then becomes the square with its
   * centre and its longer side ("rerec": the next net's crop), and boxes that the regression
   * collapsed (no area) are dropped, the rest keeping their order.
   */
  regress(squared: boolean): void {
    const r = this.records;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const at = i * FIELDS;
      const width = r[at + X2] - r[at + X1];
      const height = r[at + Y2] - r[at + Y1];
      let x1 = r[at + X1] + r[at + OFFSETS] * width;
      let y1 = r[at + Y1] + r[at + OFFSETS + 1] * height;
      let x2 = r[at + X2] + r[at + OFFSETS + 2] * width;
      let y2 = r[at + Y2] + r[at + OFFSETS + 3] * height;
      if (squared) {
        const side = Math.max(x2 - x1, y2 - y1);
        x1 = (x1 + x2 - side) / 2;
        y1 = (y1 + y2 - side) / 2;
        x2 = x1 + side;
        y2 = y1 + side;
        if (!(x2 > x1 && y2 > y1)) continue;
      }
      const to = kept++ * FIELDS;
      if (to !== at) r.copyWithin(to, at, at + FIELDS);
      r[to + X1] = x1;
      r[to + Y1] = y1;
      r[to + X2] = x2;
      r[to + Y2] = y2;
    }
    this.count = kept;
  }
}

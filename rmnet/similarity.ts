// 2-D similarity transforms (rotation, uniform scale, translation; never a reflection), written
// as complex numbers: p' = z·p + t with z = a + ib, that is
//   x' = a·x − b·y + tx,   y' = b·x + a·y + ty.

export interface Point {
  x: number;
  y: number;
}

export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * The least-squares similarity mapping `from` onto `to` (minimising Σ|z·p + t − q|²): Umeyama,
 * "Least-squares estimation of transformation parameters between two point patterns", IEEE
 * TPAMI 13(4), 1991, eq. 40–42, which in 2-D has this closed form. With both point sets centred
 * on their means (p = from − mean(from), q = to − mean(to)):
 *   a = Σ(px·qx + py·qy) / Σ|p|²,   b = Σ(px·qy − py·qx) / Σ|p|²,
 *   t = mean(to) − z·mean(from).
 * z is a complex multiplication, so the fit can rotate and scale but never mirror (its determinant
 * a² + b² is never negative). Same as scikit-image's SimilarityTransform.estimate and OpenCV's
 * estimateAffinePartial2D without RANSAC.
 */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) {
    throw new RangeError(`fitSimilarity: needs two equally long lists of at least 2 points, got ${from.length} and ${to.length}`);
  }
  const mf = mean(from), mt = mean(to);
  let pp = 0, dot = 0, cross = 0;
  for (let i = 0; i < from.length; i++) {
    const px = from[i].x - mf.x, py = from[i].y - mf.y;
    const qx = to[i].x - mt.x, qy = to[i].y - mt.y;
    pp += px * px + py * py;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
  }
  if (!(pp > 0)) throw new RangeError(`fitSimilarity: the ${from.length} source points all coincide (or are not finite)`);
  const a = dot / pp, b = cross / pp;
  return { a, b, tx: mt.x - (a * mf.x - b * mf.y), ty: mt.y - (b * mf.x + a * mf.y) };
}

/** The inverse map: z⁻¹ = conj(z) / |z|², t⁻¹ = −z⁻¹·t. */
export function invertSimilarity({ a, b, tx, ty }: Similarity): Similarity {
  const norm = a * a + b * b;
  if (!(norm > 0)) throw new RangeError('invertSimilarity: the transform has scale 0');
  const ia = a / norm, ib = -b / norm;
  return { a: ia, b: ib, tx: -(ia * tx - ib * ty), ty: -(ib * tx + ia * ty) };
}

export function applySimilarity({ a, b, tx, ty }: Similarity, { x, y }: Point): Point {
  return { x: a * x - b * y + tx, y: b * x + a * y + ty };
}

function mean(points: readonly Point[]): Point {
  let x = 0, y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

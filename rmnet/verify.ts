// Deciding "same person" from a cosine.
//
// The default threshold, 0.5, sits in the gap the reference faces show: among the 9 published
// embeddings every same-person cosine is at least 0.703 and every different-person cosine at
// most 0.368. (On aligned LFW crops the best threshold lands lower, near 0.3.)
export const SAME_PERSON_THRESHOLD = 0.5;

/** For faces detected and aligned (identify, compare --detect). Measured on LFW fold 1 (600 pairs):
 *  the accuracy-maximising threshold is 0.329 on the aligned 112 px crops (accuracy 0.9883) and
 *  0.347 on the 150 px thumbnails aligned from their landmarks (0.9867); 0.34 sits between. */
export const ALIGNED_THRESHOLD = 0.34;

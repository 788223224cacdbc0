// Deciding "same person" from a cosine.
//
// The default threshold, 0.5, sits in the gap the reference faces show: among the 9 published
// embeddings every same-person cosine is at least 0.703 and every different-person cosine at
// most 0.368. (On aligned LFW crops the best threshold lands lower, near 0.3.)
export const SAME_PERSON_THRESHOLD = 0.5;

/** For faces detected and aligned (identify, compare --detect): measured on LFW (see README). */
export const ALIGNED_THRESHOLD = 0.35;

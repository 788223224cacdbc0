// The face models this package is built around, by the name of their folder in a models folder
// (importer/models.ts finds them).

export const RMNET = 'face-reidentification-retail-0001';

// The face model's name. Where model folders are found (--models, $FACEREID_MODELS,
// ../shared/models) is the importer's business: importer/models.ts, re-exported here.

export { findCaffeModel, modelDirs, type CaffeFiles } from '../importer/models.js';

export const RMNET = 'face-reidentification-retail-0001';

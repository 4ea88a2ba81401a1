// The record stage: an observation into the history (the snapshot, then its
// drift recorded). collect, the daemon and the bench record through here.
export { recordCollection, recordedHead, type HeadDrift, type RecordedCollection } from './record-collection.js';
export { DRIFT_RECORD_VERSION, recordDrift, recordedThrough } from './record-drift.js';

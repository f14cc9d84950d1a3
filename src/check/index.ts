// The check engine: an in-memory index of signed mandates, built from the store and fed by the event log.
export { CheckEngine, type CheckEngineOptions } from './check-engine.js';
export { checkFromStore, type DirectCheckOptions } from './check-from-store.js';
export { type CreateCheckEngineOptions, createCheckEngine, type LiveCheckEngine } from './create-check-engine.js';
export { FeedFollower, type FollowerOptions } from './feed-follower.js';
export { type IndexEntry, MandateIndex } from './mandate-index.js';
export { PartyRegistry } from './party-registry.js';
export type {
  CheckAnswer,
  CheckQuery,
  CheckReason,
  MandateRef,
  RepresentedAnswer,
  RepresentedFilter,
  RepresentedMandator,
} from './types.js';

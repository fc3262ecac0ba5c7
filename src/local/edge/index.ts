// The local proof of `archctl offload`: a local origin (the stand-in for the
// app on EC2 + EFS) serving a folder, and in front of it a local edge that
// applies the CloudFront behaviours of the rendered offload template, so the
// same template that is deployed decides what is cached locally; and the
// release-day burst measured through them.
export { readDistribution, pickBehaviour, pathPatternRegExp, CACHING_DISABLED_ID, type Behaviour, type Distribution, type CachePolicy } from './behaviours.js';
export { ttlSeconds, cacheKey } from './cache.js';
export { startOrigin, parseRange, DEFAULT_CACHE_CONTROL, type LocalOrigin, type OriginOptions, type OriginStats } from './origin.js';
export {
  startEdge,
  startEdgeStack,
  type BehaviourSummary,
  type EdgeOptions,
  type EdgeRequestEvent,
  type EdgeStack,
  type EdgeStackOptions,
  type EdgeStats,
  type LocalEdge,
} from './server.js';
export { runBurst, burstMisses, BURST_REDUCTION_GOAL_PERCENT, type BurstOptions, type BurstPhase, type BurstReport } from './burst.js';

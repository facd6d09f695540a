export { trackedEmailLinks } from './email-links.js';
export {
  signTrackingToken,
  type TrackingKind,
  type TrackingSecret,
  type TrackingToken,
  verifyTrackingToken,
} from './tokens.js';
export {
  clickUrl,
  isTrackableUrl,
  maxTrackedUrlBytes,
  openPixelUrl,
  trackingPaths,
  unsubscribeUrl,
} from './urls.js';

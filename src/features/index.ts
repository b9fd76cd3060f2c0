import type { Feature } from '../engine/feature.js';
import { faqFeature } from './faq.js';

/** Features in the order they see a message; the first that consumes it stops the rest. */
export function defaultFeatures(): Feature[] {
  return [faqFeature];
}

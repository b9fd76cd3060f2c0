/** The worry detector (issue 3): see README.md, "Worry detector". */
export {
  WORRY_LABELS, LABEL_PRIORITY, SEVERITY_ORDER, compareSeverity,
  type WorryLabel, type Severity, type Sensitivity, type Detection, type DetectorContext, type DetectorOptions,
  type Detector, type ExtraTerm,
} from './types.js';
export { createDetector, THRESHOLDS, UNANSWERED_LIMIT_MS } from './detector.js';
export { detectorSettingsSchema, detectorOptions, type DetectorSettings } from './settings.js';
export { normalise } from './normalise.js';
export { factsOf } from './explain.js';

import { createDetector, detectorOptions, type Detector } from '../../detector/index.js';
import type { Playbook } from '../../playbook/playbook.js';

const detectors = new WeakMap<Playbook, Detector>();

/** The worry detector with the playbook's sensitivity and extra terms, compiled once per playbook version. */
export function detectorFor(pb: Playbook): Detector {
  let d = detectors.get(pb);
  if (!d) {
    d = createDetector(detectorOptions(pb.data.detector));
    detectors.set(pb, d);
  }
  return d;
}

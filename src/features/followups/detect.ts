import { createDetector, detectorOptions, type Detector } from '../../detector/index.js';
import type { Playbook } from '../../playbook/playbook.js';

const detectors = new WeakMap<Playbook, Detector>();

/**
 * Detectors by their options: playbooks configured alike (most keep the defaults) share one, as a
 * compiled lexicon costs about 3 MB and 10 ms and a district runs hundreds of playbooks. Held
 * weakly, so a version no playbook uses any more (an edited `extra_terms`) is collected.
 */
const shared = new Map<string, WeakRef<Detector>>();
const forget = new FinalizationRegistry<string>((key) => {
  if (!shared.get(key)?.deref()) shared.delete(key);
});

/** The worry detector with the playbook's sensitivity and extra terms, compiled once per distinct configuration. */
export function detectorFor(pb: Playbook): Detector {
  let d = detectors.get(pb);
  if (!d) {
    const options = detectorOptions(pb.data.detector);
    const key = JSON.stringify(options);
    d = shared.get(key)?.deref();
    if (!d) {
      d = createDetector(options);
      shared.set(key, new WeakRef(d));
      forget.register(d, key);
    }
    detectors.set(pb, d);
  }
  return d;
}

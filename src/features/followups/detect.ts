import { createDetector, detectorOptions, type Detector } from '../../detector/index.js';
import { oncePer } from '../../memo.js';
import type { Playbook } from '../../playbook/playbook.js';

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
export const detectorFor = oncePer((pb: Playbook): Detector => {
  const options = detectorOptions(pb.data.detector);
  const key = JSON.stringify(options);
  let d = shared.get(key)?.deref();
  if (!d) {
    d = createDetector(options);
    shared.set(key, new WeakRef(d));
    forget.register(d, key);
  }
  return d;
});

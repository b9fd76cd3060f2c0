// The npm registry reachable here serves only Linux builds of packages with per-platform binaries
// (@swc/core-darwin-arm64 and the like answer 404), so npm writes lock entries that list optional
// dependencies it could not record, and `npm ci` then refuses the lock as out of sync. This drops
// those unresolvable optional entries; it changes nothing that is installed here. Idempotent.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

/** Where npm would find `dep` for the package at `path` (nested first, then each ancestor). */
function resolvable(path, dep) {
  const parts = path.split('/node_modules/');
  for (let i = parts.length; i >= 1; i--) {
    const base = parts.slice(0, i).join('/node_modules/');
    if (packages[`${base}/node_modules/${dep}`]) return true;
  }
  return Boolean(packages[`node_modules/${dep}`]);
}

let dropped = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolvable(path, dep)) {
      delete entry.optionalDependencies[dep];
      dropped++;
    }
  }
}
if (dropped > 0) writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`prune-lock: ${dropped} unresolvable optional dependencies dropped`);

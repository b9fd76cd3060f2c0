/**
 * `make`, run once per key object: compiled once per Playbook (a new version is a new object),
 * prepared once per Store. Held weakly, so a replaced playbook or a closed store is collected with
 * what was made for it.
 */
export function oncePer<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let v = made.get(key);
    if (v === undefined) made.set(key, (v = make(key)));
    return v;
  };
}

/** A setting the operator must fix (a missing or malformed environment variable): shown as its message alone. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

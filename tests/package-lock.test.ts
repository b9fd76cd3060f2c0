/**
 * `npm install` rewrites the lock file's root entry from package.json: when they differ, a fresh
 * clone is left with a modified package-lock.json. The fields npm copies must already agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const json = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

describe('package-lock.json', () => {
  it('has the root entry npm install would write from package.json', () => {
    const pkg = json('package.json');
    const root = (json('package-lock.json') as { packages: Record<string, Record<string, unknown>> }).packages['']!;
    for (const field of ['name', 'version', 'license', 'bin', 'engines', 'dependencies', 'devDependencies', 'optionalDependencies']) {
      expect({ field, value: root[field] }).toEqual({ field, value: pkg[field] });
    }
  });
});

// package.json and package-lock.json: what makes `npm ci` pass on a fresh clone and `npm install`
// leave it clean (checked once for real with npm 11; these are the rules that broke it).
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const packages: Record<string, { version?: string; optionalDependencies?: Record<string, string>; hasInstallScript?: boolean }> = lock.packages;

describe('package lock', () => {
  it('the lock root declares exactly the dependencies package.json declares', () => {
    expect(packages[''].dependencies).toEqual(pkg.dependencies);
    expect(packages[''].devDependencies).toEqual(pkg.devDependencies);
  });

  it('every optional dependency of a locked package is itself locked (npm ci refuses a lock without them)', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(packages)) {
      for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
        // npm resolves a dependency in the nearest node_modules up the path.
        const parts = path.split('node_modules/').filter(Boolean);
        let found = false;
        for (let i = parts.length; i >= 0 && !found; i--) {
          const prefix = parts.slice(0, i).map((p) => `node_modules/${p.replace(/\/$/, '')}/`).join('');
          found = `${prefix}node_modules/${dep}` in packages;
        }
        if (!found) missing.push(`${path} -> ${dep}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('allowScripts names every locked package with an install script', () => {
    const withScripts = Object.entries(packages).filter(([, e]) => e.hasInstallScript).map(([p]) => p.slice(p.lastIndexOf('node_modules/') + 13));
    expect(withScripts).toContain('sqlite3');
    for (const name of withScripts) expect(pkg.allowScripts?.[name], name).toBe(true);
  });

  it('files lists only what exists', () => {
    for (const f of pkg.files as string[]) {
      // dist/ is the build output, made by `prepare` before packing.
      if (f === 'dist') continue;
      expect(existsSync(join(ROOT, f)), f).toBe(true);
    }
  });
});

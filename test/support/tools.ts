// The real peers integration tests drive (OpenSIPS, sipp, freeDiameterd, tshark). A test that needs
// one runs when it is installed, fails when CI=true and it is missing, and otherwise skips with one
// line saying how to install it.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Tool = 'opensips' | 'sipp' | 'freeDiameterd' | 'tshark';

const INSTALL_HINT = 'run `sudo bash scripts/install-test-tools.sh` (OpenSIPS: see tutorials/osips_async/README.md)';

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Where a tool is, or undefined. OpenSIPS is looked for under ACCURATE_OPENSIPS_PREFIX (default /opt/opensips). */
export function findTool(tool: Tool): string | undefined {
  if (tool === 'opensips') {
    const prefix = process.env.ACCURATE_OPENSIPS_PREFIX ?? '/opt/opensips';
    const p = join(prefix, 'sbin/opensips');
    return executable(p) ? p : onPath('opensips');
  }
  return onPath(tool);
}

/** The OpenSIPS install prefix (for mpath), derived from the binary found. */
export function opensipsPrefix(): string | undefined {
  const bin = findTool('opensips');
  return bin ? join(bin, '..', '..') : undefined;
}

/**
 * Checks tools for a suite: returns true when all are there. Missing under CI=true throws, so the
 * suite fails; elsewhere it prints one line and the caller skips (`describe.skipIf(!have)`).
 */
export function haveTools(suite: string, ...tools: Tool[]): boolean {
  const missing = tools.filter((t) => !findTool(t));
  if (missing.length === 0) return true;
  const msg = `${suite}: needs ${missing.join(', ')}; ${INSTALL_HINT}`;
  if (process.env.CI === 'true') throw new Error(`${msg} (required when CI=true)`);
  console.warn(`skipping ${msg}`);
  return false;
}

// Paths that arrive through the API: confined to folders the operator configured, so no request
// can create folders or files elsewhere (the engine often runs as root).
import { lstat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { bad } from './params.js';
import { DEFAULT_EXPORT_PATH } from '../../export/index.js';

/** Every export folder the config names (ees exporters and legacy cdre templates), resolved. */
export function exportPathsOf(config: { ees?: { exporters?: unknown[] }; cdre?: Record<string, unknown> }): string[] {
  const out = new Set<string>([resolve(DEFAULT_EXPORT_PATH)]);
  for (const e of (config.ees?.exporters ?? []) as Record<string, unknown>[]) {
    if (typeof e?.export_path === 'string' && e.export_path !== '') out.add(resolve(e.export_path));
  }
  for (const k of Object.keys(config.cdre ?? {})) {
    const c = (config.cdre as Record<string, Record<string, unknown>>)[k];
    for (const f of ['export_dir', 'export_path']) if (typeof c?.[f] === 'string' && c[f] !== '') out.add(resolve(c[f] as string));
  }
  return [...out];
}

/** True when `path` is `root` or inside it (lexically, after resolving `..`). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A plain file name: no folders, no `..`, no hidden or control characters, at most 255 bytes. */
export function checkFileName(name: string, field: string): void {
  // eslint-disable-next-line no-control-regex
  if (name === '.' || name === '..' || /[/\\\u0000-\u001f]/.test(name) || name.startsWith('.') || Buffer.byteLength(name) > 255) {
    throw bad(`${field}: "${name.slice(0, 60)}" is not a plain file name`);
  }
}

/**
 * ExportPath/ExportFileName of APIerSv1.ExportCDRs: the folder must lie inside a configured export
 * folder, the name must be plain and must not exist yet (exports never overwrite).
 */
export async function confinedExportPath(roots: string[], templatePath: string, exportPath: string, fileName: string): Promise<{ exportPath?: string; fileName?: string }> {
  let folder: string | undefined;
  if (exportPath !== '') {
    if (exportPath.includes('\u0000') || !roots.some((r) => isInside(r, exportPath))) {
      throw bad(`ExportPath: "${exportPath.slice(0, 80)}" is outside the configured export folders`);
    }
    folder = resolve(exportPath);
  }
  if (fileName !== '') {
    checkFileName(fileName, 'ExportFileName');
    const full = resolve(folder ?? templatePath, fileName);
    if (await lstat(full).then(() => true, () => false)) throw bad(`ExportFileName: "${fileName}" exists already; exports never overwrite`);
  }
  return { exportPath: folder, fileName: fileName || undefined };
}

/** FolderPath of LoadTariffPlanFromFolder: inside one of `roots` when the operator listed any. */
export function checkTariffPlanFolder(roots: readonly string[], folder: string): void {
  if (roots.length === 0) return;
  if (folder.includes('\u0000') || !roots.some((r) => isInside(r, folder))) {
    throw bad(`FolderPath: "${folder.slice(0, 80)}" is outside apiers.tariffplan_roots`);
  }
}

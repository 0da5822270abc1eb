// One line for an error a command did not expect: file-system errors say which path and why in
// words (no "ENOTDIR: ..., mkdir"), everything else its message. Never a stack.

const WHY: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'a file of that name is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
};

/** True for an error from the file system (it carries an errno code and, usually, a path). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code! in WHY;
}

export function oneLine(e: unknown): string {
  if (isFsError(e)) return `${e.path ?? ''}${e.path ? ': ' : ''}${WHY[e.code!]}`;
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

// Turns a file system error into words a user can act on: "cannot write
// /x/r.html: the directory does not exist", not "ENOENT". Pure: takes the
// error's code, never touches the disk.

type Access = 'read' | 'write' | 'create';

const WHY: Record<string, (access: Access) => string> = {
  ENOENT: (a) => (a === 'read' ? 'no such file' : 'the directory does not exist'),
  ENOTDIR: () => 'a part of the path is a file, not a directory',
  EISDIR: () => 'it is a directory; name a file',
  EACCES: () => 'permission denied',
  EPERM: () => 'permission denied',
  EROFS: () => 'the file system is read-only',
  ENOSPC: () => 'no space left on the device',
  EDQUOT: () => 'the disk quota is exceeded',
  ENAMETOOLONG: () => 'the name is too long',
  ELOOP: () => 'too many symbolic links in the path',
  EMFILE: () => 'too many open files',
};

/** Why an access failed, in words, for an error thrown by node:fs (its code when unknown). */
export function fileErrorWhy(access: Access, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code && WHY[code] ? WHY[code](access) : code ?? (e instanceof Error ? e.message : String(e));
}

/** "cannot <access> <path>: <why>". */
export function fileErrorText(access: Access, path: string, e: unknown): string {
  return `cannot ${access} ${path}: ${fileErrorWhy(access, e)}`;
}

/**
 * Plain words for a failed file-system call, for messages a user reads: `ENOENT` or
 * `EISDIR: illegal operation on a directory, read` tells them less than "no such file".
 */
const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'symbolic link loop',
  ENAMETOOLONG: 'the name is too long',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'it already exists',
  EBUSY: 'the file is busy',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  EXDEV: 'it is on another file system',
};

export function fsErrorWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && Object.hasOwn(WORDS, code)) return WORDS[code]!;
  // An unlisted errno: Node's message is `CODE: libc's words, syscall 'path'`; keep the words.
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

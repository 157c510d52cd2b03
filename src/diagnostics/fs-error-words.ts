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
  EMFILE: 'too many open files (ulimit -n)',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EXDEV: 'it is on another file system',
  EAGAIN: 'the system refused another process for now (ulimit -u, or memory)',
  ENOMEM: 'not enough memory',
  ETXTBSY: 'the program file is being written',
  ENOEXEC: 'the file is not a program this system can run',
};

export function fsErrorWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && Object.hasOwn(WORDS, code)) return WORDS[code]!;
  // An unlisted errno: Node's message is `CODE: libc's words, syscall 'path'`; keep the words.
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

/**
 * Why a program (git, kubectl) could not be started, in words. A missing program and a
 * missing working directory both fail with ENOENT; the caller tells them apart.
 */
export function startFailureWords(error: unknown, program: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `${program} is not installed or not on PATH`;
  return `${program} could not be started: ${fsErrorWords(error)}`;
}

/** What a failed call was doing, for a message naming its file: `mkdtemp` is "create a directory in". */
const CALLS: Readonly<Record<string, string>> = {
  open: 'open',
  mkdir: 'create the directory',
  mkdtemp: 'create a directory in',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove the directory',
  rm: 'remove',
  scandir: 'list the directory',
  stat: 'look at',
  lstat: 'look at',
  realpath: 'resolve',
  readlink: 'read the link',
  copyfile: 'copy',
  link: 'link',
  symlink: 'link',
  access: 'check',
  write: 'write',
  read: 'read',
};

export function fsCallWords(syscall: string): string {
  return Object.hasOwn(CALLS, syscall) ? CALLS[syscall]! : syscall;
}

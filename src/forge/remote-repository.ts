/** A repository on a forge, as a git remote URL names it: the host, and the path under it (`owner/repo`, `group/subgroup/project`). */
export interface RemoteRepository {
  readonly host: string;
  readonly path: string;
}

const PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/;

/**
 * The forge repository behind a remote URL, as git takes them: `https://host/o/r.git`
 * (user and password dropped), `ssh://git@host:22/o/r.git`, scp-like `git@host:o/r.git`.
 * A local path, a file:// URL or anything else names none. Pure.
 */
export function remoteRepository(url: string): RemoteRepository | undefined {
  const scp = /^(?:[^@/:\s]+@)?([A-Za-z0-9.-]+):(?!\/)([^\s]+)$/.exec(url);
  let host: string;
  let path: string;
  if (/^(https?|ssh|git):\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  } else if (scp && scp[1]!.includes('.')) {
    host = scp[1]!;
    path = scp[2]!;
  } else return undefined;
  path = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  return host !== '' && isRepositoryPath(path) ? { host: host.toLowerCase(), path } : undefined;
}

/** `owner/repo`, or a GitLab project under nested groups. */
export function isRepositoryPath(path: string): boolean {
  return PATH.test(path) && !path.split('/').some((s) => s === '.' || s === '..');
}

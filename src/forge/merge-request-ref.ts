/** A merge request on GitLab, as `--pr` names it. */
export interface MergeRequestRef {
  /** The project's full path, groups and subgroups included: `group/subgroup/project`. */
  readonly project: string;
  readonly iid: number;
  /** The instance the web address names (`https://gitlab.example.com`), when `--pr` is one. */
  readonly origin?: string;
}

/**
 * GitLab's own rules for a group or project path: letters, digits, `_`, `-`, `.`, not
 * starting with `-` or `.` nor ending with `.git` or `.atom`; subgroups nest 20 deep at most.
 */
const SEGMENT = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}';
const PATH = `${SEGMENT}(?:/${SEGMENT}){1,20}`;
const IID = '[1-9][0-9]{0,9}';
const SHORT = new RegExp(`^(${PATH})!(${IID})$`);
/**
 * As a browser shows it, with /diffs, /commits or /pipelines after it. An instance served
 * under a path (`https://example.com/gitlab/`) reads as a group here: it needs --forge-url.
 */
const URL_PATH = new RegExp(`^/(${PATH})/-/merge_requests/(${IID})(?:/[a-z_]*)?/?$`);

/**
 * `group/subgroup/project!12`, or the merge request's web address on gitlab.com or a
 * self-managed instance. Anything else is undefined: the caller says what it takes.
 */
export function parseMergeRequestRef(text: string): MergeRequestRef | undefined {
  const short = SHORT.exec(text);
  if (short) return ref(short[1]!, short[2]!);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  const path = URL_PATH.exec(url.pathname);
  if (!path) return undefined;
  const found = ref(path[1]!, path[2]!);
  return found && { ...found, origin: url.origin };
}

function ref(project: string, iid: string): MergeRequestRef | undefined {
  if (project.split('/').some((s) => /\.(git|atom)$/.test(s))) return undefined;
  return { project, iid: Number(iid) };
}

export function mergeRequestName(mr: MergeRequestRef): string {
  return `${mr.project}!${mr.iid}`;
}

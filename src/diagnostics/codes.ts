/**
 * Every finding the tool can report, in one place. A code is never reused for another
 * meaning; retired codes stay listed. README's code table is checked against this list.
 */
export type Severity = 'error' | 'warning';

export interface CodeInfo {
  readonly title: string;
  readonly severity: Severity;
  /** What to do about it; shown in SARIF help and the README. */
  readonly help: string;
}

export const CODES = {
  // HF1xx: policy files
  HF100: { title: 'path not readable', severity: 'error', help: 'Check the path: it must exist and be a readable file or directory.' },
  HF101: { title: 'not a text file', severity: 'error', help: 'Policy files are UTF-8 YAML text; binary data and other encodings are not read.' },
  HF102: { title: 'YAML syntax error', severity: 'error', help: 'Fix the YAML at the position shown.' },
  HF103: { title: 'duplicate key', severity: 'error', help: 'Each key may appear once per mapping; remove or rename one of them.' },
  HF104: { title: 'file too large', severity: 'error', help: 'Policy files are limited to 1 MiB; split the file or remove what is not policy.' },
  HF105: { title: 'resource exhaustion', severity: 'error', help: 'Too many aliases, too deep nesting, or a mapping key inside a mapping key; write the values out plainly.' },
  HF106: { title: 'no policy in file', severity: 'warning', help: 'The file holds no document with `kind: HotfixPolicy`; check the file name or its kind.' },
  HF107: { title: 'not exactly one policy', severity: 'error', help: 'A plan works from one policy: give --policy a file holding exactly one `kind: HotfixPolicy` document.' },
  HF110: { title: 'unknown property', severity: 'error', help: 'Remove the property or correct its spelling; the schema lists every property.' },
  HF111: { title: 'missing property', severity: 'error', help: 'Add the required property.' },
  HF112: { title: 'wrong type', severity: 'error', help: 'Give the value the type the schema asks for.' },
  HF113: { title: 'value not allowed', severity: 'error', help: 'Use one of the allowed values.' },
  HF114: { title: 'value out of bounds', severity: 'error', help: 'The value breaks a limit or format of the schema; see the message.' },
  HF120: { title: 'undeclared environment', severity: 'error', help: 'Declare the environment under spec.environments or correct the name.' },
  HF121: { title: 'unknown placeholder', severity: 'error', help: 'Use only the placeholders listed for this template.' },
  HF122: { title: 'invalid git ref name', severity: 'error', help: 'The template can never give a valid git ref name (see git check-ref-format); remove the offending characters.' },
  HF123: { title: 'invalid regular expression', severity: 'error', help: 'Fix the regular expression (JavaScript syntax).' },
  HF124: { title: 'config path outside the repository', severity: 'error', help: 'Give the path relative to the repository root, without `..` segments.' },
  HF125: { title: 'duplicate policy name', severity: 'error', help: 'Policy names must be unique across every file; rename one of them.' },
  HF126: { title: 'hotfix bypasses every environment', severity: 'error', help: 'A hotfix must be deployed somewhere: remove at least one environment from hotfix.bypass.' },
  HF127: { title: 'merge-back into the release branch', severity: 'error', help: 'The release branch already receives the hotfix; list it once, under hotfix.release or hotfix.mergeBack.' },
  HF128: { title: 'duplicate environment', severity: 'error', help: 'Environment names must be unique within a policy.' },
  HF129: { title: 'invalid image tag format', severity: 'error', help: 'An image tag is at most 128 characters of letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.' },
  HF130: { title: 'setting cannot work', severity: 'error', help: 'A setting lacks what it needs to work (see the message): add it, or remove the setting.' },
  HF131: { title: 'invalid baseline', severity: 'error', help: 'baselineFor must name another environment, and that environment must not itself take a baseline.' },
  HF132: { title: 'locator names another image', severity: 'warning', help: 'The config locator names an image other than app.image; hotfix would patch the wrong image.' },
  HF133: { title: 'setting has no effect', severity: 'warning', help: 'Remove the setting, or add what it depends on (see the message).' },
  HF134: { title: 'regular expression may backtrack catastrophically', severity: 'error', help: 'A repeated group that itself repeats (like `(a+)+`) can take exponential time on some names; write the pattern without nested repetition.' },
  HF135: { title: 'invalid git author name', severity: 'error', help: 'git.author.name goes into the header of every commit and tag apply creates (`author NAME <EMAIL> DATE`): `<`, `>` or a line break there breaks the header (git fsck and servers that check objects refuse it), and git refuses a blank name. Give a plain name without `<`, `>` or control characters.' },
  HF136: { title: 'branch or tag name too long', severity: 'error', help: 'At its longest the template gives a ref name git cannot store: a part over 250 bytes (git writes each ref as a file, first as PART.lock, and file names have at most 255 bytes) or a name over 1024 bytes. Placeholders count at their longest: {sha} 40, {sha7} 7, {date} 8 characters, {env} the longest environment name, {reason} the longest of hotfix.reasons, {version} 128 (the longest --version; a version read from a release tag can be longer, which plan checks). Shorten the template.' },
  HF137: { title: 'branch or tag name shadows other refs', severity: 'error', help: 'The template can give a name git also finds another way, making it ambiguous ("refname is ambiguous"): one starting with `refs/`, `heads/`, `tags/`, `remotes/` or `notes/`, one that is or starts with a HEAD name (`HEAD`, `FETCH_HEAD`, `ORIG_HEAD`…), or one that is or starts with a remote\'s name (`origin`, git.remote) like that remote\'s branches (`origin/main`). {env} and {reason} are tried with every environment and reason. Start the name with a word of its own, such as `hotfix/`.' },

  // HF2xx: reading state (git, cluster, registry)
  HF200: { title: 'repository not bound', severity: 'error', help: 'Bind every repository the policy names with --repo NAME=PATH.' },
  HF201: { title: 'not a git repository', severity: 'error', help: 'Point --repo at a git repository (a checkout or a bare repository).' },
  HF202: { title: 'ref not found', severity: 'error', help: 'The branch, tag or commit does not exist in the repository; fetch it or correct the name.' },
  HF203: { title: 'file not found', severity: 'error', help: 'The config file does not exist at that revision; check config.file and config.branch.' },
  HF204: { title: 'git failed', severity: 'error', help: 'A git command failed; the message gives git\'s own words.' },
  HF205: { title: 'cluster state unreadable', severity: 'error', help: 'kubectl failed or the --cluster-state file is not kubectl JSON output; check the context, namespace and file.' },
  HF206: { title: 'workload not found', severity: 'error', help: 'The cluster state has no such workload or container; check the policy\'s cluster section.' },
  HF207: { title: 'image not found in config', severity: 'error', help: 'The locator matched no image value in the config file; check config.file and config.locator.' },
  HF208: { title: 'deploying commit not found', severity: 'error', help: 'No commit in the file\'s history introduced the value deployed now.' },
  HF209: { title: 'ambiguous locator', severity: 'error', help: 'The locator matched more than one value; make it name exactly one.' },
  HF215: { title: 'commit not in the app repository', severity: 'error', help: 'The running image names a commit the app repository does not have; fetch it, or check app.repo.' },
  HF216: { title: 'render failed', severity: 'error', help: 'kubectl kustomize failed on the deployed directory (config.render) with the planned change, or printed something that is not YAML; the message names the directory and gives kubectl\'s words.' },
  HF211: { title: 'config file is not valid YAML', severity: 'error', help: 'The config file has YAML errors, so it cannot be edited safely; fix it on its branch first.' },
  HF210: { title: 'invalid name', severity: 'error', help: 'A ref name, path or value from the command line or policy is not safe to pass to git; correct it.' },
  HF212: { title: 'registry unreachable or access refused', severity: 'error', help: 'The image registry could not be reached, timed out, or refused access; check the host and the network, or log in with docker login HOST.' },
  HF213: { title: 'invalid registry answer', severity: 'error', help: 'The registry answered with something that is not a valid OCI Distribution response (bad JSON, wrong media type, digest mismatch, too large); check that the host is a registry.' },
  HF217: { title: 'config file is a symbolic link', severity: 'error', help: 'hotfix reads and patches config only in regular files of the repository; point config.file at the file the link names.' },
  HF218: { title: 'git timed out', severity: 'error', help: 'A git command that talks to a remote (push, ls-remote) did not finish in time and was ended with everything it started; check the remote and the network, or raise HOTFIX_GIT_NETWORK_TIMEOUT_MS.' },
  HF219: { title: 'push remote not configured', severity: 'error', help: 'The policy pushes (git.push) to git.remote, which must be a remote configured in the repository with exactly one push URL (git remote add NAME URL); hotfix never pushes to a path or URL of that name.' },
  HF223: { title: 'output not written', severity: 'error', help: 'Writing to standard output or standard error failed (a full disk, a device that refuses writes), so what hotfix printed is incomplete; the command exits 1. A reader that leaves early (hotfix … | head) is not this: the output just ends there.' },
  HF224: { title: 'file or directory not usable', severity: 'error', help: 'A file or directory hotfix reads, or a scratch directory it makes under TMPDIR, could not be used: the message names it and the reason (no space left, permission denied, too many open files, a file where a directory must be, a symbolic link loop). Fix that, or point TMPDIR at a writable directory, and run the command again.' },
  HF225: { title: 'program could not be started', severity: 'error', help: 'git or kubectl could not be started: it is not installed or not on PATH, or the system refused another process or open file (ulimit -n, ulimit -u). Install it, put it on PATH, or raise the limit, and run the command again.' },
  // HF3xx: plans
  HF301: { title: 'reason required', severity: 'error', help: 'The policy requires --reason for this kind of plan.' },
  HF302: { title: 'unknown environment', severity: 'error', help: 'Pass --env with an environment the policy declares.' },
  HF303: { title: 'drift', severity: 'error', help: 'The cluster runs another image than the config declares; find out why, or pass --allow-drift.' },
  HF304: { title: 'rollback too far back', severity: 'error', help: 'The target is more deployments back than rollback.maxSteps allows.' },
  HF305: { title: 'rollback target too old', severity: 'error', help: 'The target was deployed longer ago than rollback.maxAge allows.' },
  HF306: { title: 'target never deployed', severity: 'error', help: 'Roll back only to a value this environment ran before (see the file\'s history).' },
  HF307: { title: 'nothing to roll back', severity: 'error', help: 'The target is what is deployed already.' },
  HF308: { title: 'revert does not apply', severity: 'warning', help: 'A later commit touched the same line; the plan sets the previous value instead of reverting.' },
  HF309: { title: 'partial revert', severity: 'warning', help: 'The deploying commit changed more than this image; only this image\'s change is reverted.' },
  HF310: { title: 'image automation will undo this', severity: 'warning', help: 'Suspend the image automation or pin its policy (automation.flux.onRollback), or it pushes the newer tag back.' },
  HF311: { title: 'rollout unhealthy', severity: 'warning', help: 'The workload\'s rollout has not finished or has unavailable replicas; read the numbers before deciding.' },
  HF312: { title: 'branch or tag exists', severity: 'error', help: 'The branch or tag the plan would create exists already; delete it or change the template.' },
  HF313: { title: 'not allowed by policy', severity: 'error', help: 'The policy has no section allowing this kind of plan (spec.rollback or spec.hotfix).' },
  HF320: { title: 'patch precondition failed', severity: 'error', help: 'The value in the file is not what the patch expects; the file changed since the plan was made.' },
  HF321: { title: 'patch path not found', severity: 'error', help: 'The patch names a path that the document does not have.' },
  HF322: { title: 'patch check failed', severity: 'error', help: 'The format-preserving edit did not give the data the patch intends; this is a bug, please report it.' },
  HF330: { title: 'reason not allowed', severity: 'error', help: 'A hotfix is allowed only for the reasons in hotfix.reasons; pass one of them with --reason.' },
  HF331: { title: 'commit not on the mainline', severity: 'error', help: 'Pick only commits already on the mainline (app.mainline), so the fix cannot be lost; land it there first.' },
  HF332: { title: 'too many commits', severity: 'error', help: 'A hotfix may pick at most hotfix.maxCommits commits; keep it to the fix.' },
  HF333: { title: 'too many changed files', severity: 'error', help: 'The picked commits change more files than hotfix.maxChangedFiles allows; keep the hotfix minimal.' },
  HF334: { title: 'cherry-pick conflicts', severity: 'error', help: 'The commit does not apply cleanly onto the deployed commit; make a backport commit for it on the mainline, or pick what it depends on too.' },
  HF335: { title: 'merge-back conflicts', severity: 'warning', help: 'Merging the hotfix back will conflict; apply leaves that merge to you and says how.' },
  HF336: { title: 'revision sources disagree', severity: 'error', help: 'The image label, tag and git tag name different commits; find out which image really runs before hotfixing it.' },
  HF337: { title: 'deployed commit unknown', severity: 'error', help: 'No revision source named the commit the running image was built from; add a label to the image, use a tag format with {sha7}, or tag releases in git.' },
  HF338: { title: 'check not made', severity: 'warning', help: 'A source or check could not be consulted (see the message); the plan relies on the others.' },
  HF339: { title: 'environment may not be bypassed', severity: 'error', help: 'Going straight to this environment skips an earlier one that hotfix.bypass does not list.' },
  HF340: { title: 'digest not known in advance', severity: 'error', help: 'The config pins images by digest, which the hotfix image does not have until CI builds it; set config.digest to drop, or plan after the image exists.' },
  HF341: { title: 'version needed', severity: 'error', help: 'A template uses {version}; pass --version or tag the deployed release in git.' },
  HF343: { title: 'render mismatch', severity: 'error', help: 'Rendered with the planned change, the deployed directory runs another image than planned: the file named (an overlay\'s images:, a patch or a manifest) sets it after the patched file; change it too, or point config.file at it.' },
  HF344: { title: 'no baseline config', severity: 'error', help: 'The version running in the target never ran in the baseline environment before it went live, so there is no config of its time to test against; set baseline.ifMissing: current to use today\'s.' },
  HF345: { title: 'baseline from today', severity: 'warning', help: 'No config of the running version\'s time was found; the hotfix is tested against today\'s config of the baseline environment, which may lack what the old version needs.' },
  HF346: { title: 'plan not saved', severity: 'error', help: 'The plan could not be written where --out says: give a path to a regular file in a directory that exists and is writable.' },
  HF347: { title: 'pick changes nothing', severity: 'error', help: 'The picked commit\'s change is already in the deployed commit (or an earlier pick made it); leave it out of --pick.' },
  HF348: { title: 'control character in the plan', severity: 'error', help: 'Something the plan copies (a commit message, a config file, a name) holds a control character that could steer a terminal; show and apply refuse such plans. Remove it at its source.' },
  HF349: { title: 'new ref shadows other refs', severity: 'error', help: 'The branch or tag the plan would create has a name git also finds another way (see HF137), here with the values the plan fills in and the remotes the repository really has (git remote): `git checkout NAME` would be ambiguous. Change the template, the --version, or rename the remote.' },
  // HF4xx: apply
  HF400: { title: 'plan unreadable', severity: 'error', help: 'The plan file is missing or is not JSON; give the path of a file written by hotfix plan --out.' },
  HF401: { title: 'plan invalid', severity: 'error', help: 'The plan does not match schemas/plan.schema.json; make it again with hotfix plan.' },
  HF402: { title: 'plan altered', severity: 'error', help: 'The plan body does not match its id: it was changed after it was made. Make and review it again.' },
  HF403: { title: 'plan version unsupported', severity: 'error', help: 'The plan was made by an incompatible version of hotfix; make it again.' },
  HF404: { title: 'precondition changed', severity: 'error', help: 'Something the plan relies on changed since it was made; make and review the plan again.' },
  HF405: { title: 'approval required', severity: 'error', help: 'Run apply on a terminal to confirm, or pass --auto-approve.' },
  HF406: { title: 'unexpected commit', severity: 'error', help: 'The commit apply made differs from the one the plan named; nothing was published. Please report it.' },
  HF407: { title: 'ref update failed', severity: 'error', help: 'A ref moved while apply ran; make the plan again.' },
  HF408: { title: 'push rejected', severity: 'error', help: 'The remote refused the push; the message gives its reason. Local refs were left as they were before the push.' },
  HF409: { title: 'apply declined', severity: 'error', help: 'Nothing was changed.' },
  HF411: { title: 'branch checked out', severity: 'error', help: 'Apply never moves a branch that is checked out in a work tree; check out another branch there, or let the plan push (git.push) so only the remote moves.' },
  HF412: { title: 'repository locked', severity: 'error', help: 'Another apply holds the repository; wait for it. A lock whose process is gone can be taken over with --break-lock.' },
  HF413: { title: 'apply interrupted', severity: 'error', help: 'A signal (Ctrl-C, SIGTERM) stopped apply at a safe point: its locks are released and the finished actions recorded. Run apply again on the same plan to go on.' },
  HF414: { title: 'journal contradicted', severity: 'error', help: 'The journal of this plan records an action as done, but its result is not in the repository or on the remote (moved or deleted since), or the remote could not be asked. Find out what moved it and make the plan again, or retry once the remote answers.' },
  HF415: { title: 'plan contradicts itself', severity: 'error', help: 'A field the plan shows disagrees with what apply would execute (an object id that is not the hash of its content, a merge, push or gate naming a commit the plan does not record, a ref that does not start where the plan has it). The plan was edited and re-sealed, or is broken: make and review it again.' },
  HF416: { title: 'plan differs from its rehearsal', severity: 'error', help: 'Before writing, apply carries out the whole plan in a throwaway repository that borrows the real objects; something it computed there (a file diff, a picked tree, the files a pick changes, a merge base or source) is not what the plan shows. Nothing was written. Make and review the plan again.' },
  HF420: { title: 'symbolic ref in the way', severity: 'error', help: 'A ref the plan moves is a symbolic ref, so git would move the branch it points to, which the plan does not name. Delete the symbolic ref or make the plan again; nothing was written.' },
  HF421: { title: 'file system error', severity: 'error', help: 'A file apply keeps in the git directory (its lock, its journal) could not be written or read: the message names the file and the reason (no space left, permission denied, too many open files, a file where a directory must be). Fix that and run apply again; it goes on where it stopped.' },
  HF422: { title: 'file system error outside the git directory', severity: 'error', help: 'A file or directory apply uses besides its lock and journal (the scratch repositories it rehearses the plan in, under TMPDIR, or the policy file it checks) could not be used: the message names it and the reason. What apply finished is in its journal (the rehearsal writes nothing): fix that, or point TMPDIR at a writable directory, and run apply again.' },
  HF410: { title: 'gate not met', severity: 'error', help: 'Apply stopped at a gate (an image or a check it waits for); run apply again once it is met (it continues where it stopped), or pass --wait.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return CODES[code];
}

// The tests use real tools; a fresh machine may lack some. Install what is missing from
// Debian's packages (this project's machines run as root), or fail loudly: a test that
// needs a tool never skips.
import { execFileSync } from 'node:child_process';

/** command → [arguments that prove it runs, Debian package that provides it] */
const TOOLS = {
  git: [['--version'], 'git'],
  kubectl: [['version', '--client'], 'kubernetes-client'],
  'docker-registry': [['--version'], 'docker-registry'],
  // GitHub's own markdown renderer: the PR comment tests render with it.
  'cmark-gfm': [['--version'], 'cmark-gfm'],
  // `hotfix completion zsh|fish`: the tests load the scripts in the real shells.
  zsh: [['--version'], 'zsh'],
  fish: [['--version'], 'fish'],
  // The hook manifest (.pre-commit-hooks.yaml) is checked by pre-commit itself.
  'pre-commit': [['--version'], 'pre-commit'],
};

function works(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureTools(names = Object.keys(TOOLS)) {
  const missing = names.filter((name) => !works(name, TOOLS[name][0]));
  if (missing.length === 0) return;
  const packages = missing.map((name) => TOOLS[name][1]);
  console.log(`Installing ${packages.join(', ')} for the tests (apt-get)…`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    throw new Error(`the tests need ${missing.join(', ')}; installing ${packages.join(', ')} with apt-get failed: ${error.message}`);
  }
  const still = missing.filter((name) => !works(name, TOOLS[name][0]));
  if (still.length > 0) throw new Error(`the tests need ${still.join(', ')}, which still does not run after installing`);
}

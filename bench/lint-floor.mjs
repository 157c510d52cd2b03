// The least any JavaScript linter of these files must do: read each one and parse it with
// js-yaml, the fastest YAML parser for JavaScript measured here. No validation, no rules,
// no output. `npm run bench` runs it beside ajv-cli to show how much of the lint target is
// left for everything else. (hotfix's quick parse uses js-yaml's failsafe schema plus YAML
// 1.2's core scalars; CORE_SCHEMA costs about the same.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';

const dir = process.argv[2];
let documents = 0;
for (const name of readdirSync(dir).sort()) {
  if (name.endsWith('.yaml')) documents += loadAll(readFileSync(join(dir, name), 'utf8'), undefined, { schema: CORE_SCHEMA }).length;
}
if (documents === 0) throw new Error(`no YAML documents in ${dir}`);

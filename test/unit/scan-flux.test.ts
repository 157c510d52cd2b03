import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { fluxObjectsAt } from '../../src/state/git/scan-flux.js';
import { oneCommitRepo } from '../helpers/one-commit-repo.js';

// Flux objects are found through a real git grep and cat-file: wherever they are in a big
// file, however their kind is written, whatever the repository's config says, and a big
// file's bytes past its last Flux object are never decoded.

const MiB = 1024 * 1024;
const policy = (name: string) => `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: ${name}\n`;
const automation = (name: string) => `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageUpdateAutomation\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  update:\n    path: ./app\n`;
const bigConfigMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboards\ndata:\n  dashboards.json: |\n${'    {"panel": 1, "expr": "sum(rate(http_requests_total[5m])) by (route)"}\n'.repeat(240_000)}`;

async function found(repo: string, head: string): Promise<string[]> {
  const blobs = new CatFileBatch(repo);
  try {
    return (await fluxObjectsAt(repo, head, blobs)).map((o) => `${o.file} ${o.kind} ${o.name} #${o.document}`).sort();
  } finally {
    blobs.close();
  }
}

/** Characters decoded from bytes to text while `run` runs: counted, not timed. */
async function charactersDecodedBy<T>(run: () => Promise<T>): Promise<{ result: T; decoded: number }> {
  const { toString } = Buffer.prototype;
  let decoded = 0;
  Buffer.prototype.toString = function (this: Buffer, ...args: Parameters<Buffer['toString']>) {
    const text = toString.apply(this, args);
    decoded += text.length;
    return text;
  } as Buffer['toString'];
  try {
    return { result: await run(), decoded };
  } finally {
    Buffer.prototype.toString = toString;
  }
}

test('an ImageUpdateAutomation after a 16 MiB ConfigMap in the same file is found', async () => {
  const { repo, head } = await oneCommitRepo({ 'flux/automation.yaml': `${bigConfigMap}---\n${automation('deploy')}` });
  assert.equal(await found(repo, head), ['flux/automation.yaml ImageUpdateAutomation deploy #1']);
});

test('a 16 MiB ConfigMap after the Flux objects is streamed past: less than 64 KiB of it is decoded', async () => {
  const text = `${policy('api')}---\n${automation('deploy')}---\n${bigConfigMap}`;
  assert.ok(text.length > 16 * MiB);
  const { repo, head } = await oneCommitRepo({ 'flux/images.yaml': text });
  const { result, decoded } = await charactersDecodedBy(() => found(repo, head));
  assert.equal(result, ['flux/images.yaml ImagePolicy api #0', 'flux/images.yaml ImageUpdateAutomation deploy #1']);
  assert.ok(decoded < 64 * 1024, `${decoded} characters decoded`);
});

test('kinds quoted or tagged, a path with a line break, a file git takes for binary, hostile grep config: all found', async () => {
  const files = {
    'json-style.yaml': `"apiVersion": "image.toolkit.fluxcd.io/v1beta2"\n"kind": "ImageRepository"\n"metadata": {"name": "quoted", "namespace": "flux-system"}\n`,
    'tagged.yml': policy('tagged').replace('kind: ImagePolicy', "kind: !!str 'ImagePolicy'"),
    'odd\nname.yaml': policy('odd'),
    'binary/policy.yaml': policy('binary'),
    '.gitattributes': 'binary/*.yaml binary\n',
  };
  const config = [['grep.column', 'true'], ['grep.lineNumber', 'false'], ['grep.patternType', 'perl'], ['submodule.recurse', 'true']];
  const { repo, head } = await oneCommitRepo(files, config);
  assert.equal(await found(repo, head), [
    'binary/policy.yaml ImagePolicy binary #0',
    'json-style.yaml ImageRepository quoted #0',
    'odd\nname.yaml ImagePolicy odd #0',
    'tagged.yml ImagePolicy tagged #0',
  ]);
});

test.run();

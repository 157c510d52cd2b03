// The harness's fake Kubernetes API server (test/helpers/fake-kube-api.ts) in a process of
// its own: the bench runs its commands with spawnSync, which would keep a server in its own
// process from answering. Serves the objects of the JSON file named, prints kubectl's
// environment (KUBECONFIG, KUBECACHEDIR) as one JSON line, and ends when its stdin does.
import { readFileSync } from 'node:fs';
import { startFakeKubeApi } from '../test/helpers/fake-kube-api.js';

const api = await startFakeKubeApi(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as unknown[]);
process.stdout.write(`${JSON.stringify(api.env)}\n`);
process.stdin.resume();
process.stdin.on('end', () => void api.close().then(() => process.exit(0)));

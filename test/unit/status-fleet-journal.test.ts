import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fleetJournalJson, fleetJournalLines } from '../../src/cli/status-fleet-journal.js';
import { gateKey } from '../../src/cli/status-forge.js';
import type { FleetForgeStatus } from '../../src/cli/status-fleet-forge.js';
import type { JournalStatus } from '../../src/cli/status-journal.js';
import type { FleetService } from '../../src/plan/fleet-status.js';

const PLAN = `sha256:${'cd'.repeat(32)}`;
const HEAD = '0ddba11'.padEnd(40, '0');
const PULL = { action: 'open-pr-rollback', forge: 'gitlab', repository: 'acme/deploy', number: 12, url: 'https://gitlab.example.com/acme/deploy/-/merge_requests/12', head: 'rollback/production-1a2b3c4', base: 'main', kind: 'rollback', policy: 'cart', environment: 'production', plan: PLAN, at: '2026-12-03T10:00:00.000Z' } as const;
const GATE = { action: 'gate', revision: HEAD, checks: ['unit'], checksFrom: { forge: 'github', repository: 'acme/payments', manual: 'allow' }, at: '2026-12-03T10:01:00.000Z', plan: PLAN, environment: 'production', kind: 'hotfix' } as const;
const NONE: JournalStatus = { pullRequests: [], approvals: [], gates: [] };

// A policy that did not load comes last, with no name and no journal.
const services: FleetService[] = [
  { name: 'cart', file: 'services/cart/hotfix.yaml', environments: [] },
  { name: 'catalog', file: 'services/catalog/hotfix.yaml', environments: [] },
  { name: 'payments', file: 'services/payments/hotfix.yaml', environments: [] },
  { file: 'services/legacy/hotfix.yaml', environments: [], unreadable: { code: 'HF111', severity: 'error', message: 'spec is missing the required property "environments"' } },
];
const NOT_ASKED = 'GitHub not asked: no GitHub token: GITHUB_TOKEN is not set; … [HF501]';
const status: FleetForgeStatus = {
  journals: new Map([
    ['services/cart/hotfix.yaml', { ...NONE, pullRequests: [PULL] }],
    ['services/catalog/hotfix.yaml', NONE],
    ['services/payments/hotfix.yaml', { ...NONE, gates: [GATE] }],
  ]),
  forge: { pullRequests: new Map([[PULL.url, { notRead: '500: 500 Internal Server Error', code: 'HF523' }]]), gates: new Map(), notAsked: [NOT_ASKED] },
};

test('each policy with anything journalled under its name and file, in the fleet\'s order, indented; a forge not asked said once, last', () => {
  assert.equal(fleetJournalLines(services, status), [
    '',
    'cart (services/cart/hotfix.yaml):',
    '  Pull requests apply opened (from its journal; their state read from the forge now):',
    `    production rollback: ${PULL.url}  rollback/production-1a2b3c4 → main  state not read: 500: 500 Internal Server Error [HF523]  (plan sha256:cdcdcdcdcdcd…, 2026-12-03T10:00:00.000Z)`,
    '',
    'payments (services/payments/hotfix.yaml):',
    "  Waiting at the gate (from apply's journal; checks read from the forge now):",
    '    production hotfix plan sha256:cdcdcdcdcdcd…: gate waits for checks on 0ddba11 in GitHub acme/payments: unit',
    '',
    NOT_ASKED,
  ]);
});

test('nothing journalled in the whole fleet: one line saying no forge was asked', () => {
  const empty: FleetForgeStatus = { journals: new Map(services.filter((s) => s.name).map((s) => [s.file, NONE])), forge: { pullRequests: new Map(), gates: new Map(), notAsked: [] } };
  assert.equal(fleetJournalLines(services, empty), ['', "No pull request, approval or gate in apply's journals for these policies: no forge was asked."]);
});

test('JSON: each service with its journal\'s fields where it has any, the unloaded policy as it was, forgeNotAsked once beside services', () => {
  const checked: FleetForgeStatus = { ...status, forge: { ...status.forge, gates: new Map([[gateKey(GATE), { notRead: 'GitHub failed when status read the checks of 0ddba11 in acme/payments (502: Server Error, after 2 retries)', code: 'HF514' }]]) } };
  const json = fleetJournalJson(services, checked) as { services: Array<Record<string, unknown>>; forgeNotAsked: string[] };
  assert.equal(json.forgeNotAsked, [NOT_ASKED]);
  assert.equal(json.services.map((s) => Object.keys(s).sort()), [
    ['environments', 'file', 'name', 'pullRequests'],
    ['environments', 'file', 'name'],
    ['environments', 'file', 'gatesWaiting', 'name'],
    ['environments', 'file', 'unreadable'],
  ]);
  assert.equal(json.services[0]!.pullRequests, [{ ...PULL, stateNotRead: '500: 500 Internal Server Error', stateNotReadCode: 'HF523' }]);
  assert.equal(json.services[2]!.gatesWaiting, [{ ...GATE, checksNotRead: 'GitHub failed when status read the checks of 0ddba11 in acme/payments (502: Server Error, after 2 retries)', checksNotReadCode: 'HF514' }]);
});

test.run();

// `kubectl auth can-i` against the lab, for the portal's reader and writer
// contexts: every verb on every resource deploy/rbac grants answers yes, and
// what it does not grant answers no. The expectations are read from
// deploy/rbac itself, so the test follows the YAML and a rule the lab fails to
// honour shows up here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import {
  KUBECTL,
  kubectlAvailable,
  makeKubectl,
} from '../kubectl/kubectlRunner';
import { repoRoot } from '../support/paths';

const available = kubectlAvailable();
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(`RBAC kubectl tests skipped: ${KUBECTL} not found`);
}
const describeIfKubectl = available ? describe : describe.skip;

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

function clusterRoleRules(file: string, name: string): Rule[] {
  const docs = parseAllDocuments(
    readFileSync(path.join(repoRoot, 'deploy', 'rbac', file), 'utf8'),
  ).map(d => d.toJS());
  const role = docs.find(
    d => d?.kind === 'ClusterRole' && d.metadata?.name === name,
  );
  if (!role) throw new Error(`deploy/rbac/${file} has no ClusterRole ${name}`);
  return role.rules;
}

/** `kubectl auth can-i` arguments for one granted verb/resource/name. */
function canIArgs(
  verb: string,
  group: string,
  resource: string,
  name?: string,
): string[] {
  const [plural, subresource] = resource.split('/');
  const qualified = group ? `${plural}.${group}` : plural;
  return [
    'auth',
    'can-i',
    verb,
    name ? `${qualified}/${name}` : qualified,
    ...(subresource ? [`--subresource=${subresource}`] : []),
  ];
}

/**
 * kubectl asks only about resources the cluster lists in discovery. The lab
 * does not list Kueue's aggregated visibility API (packages/lab-cluster
 * README), so its rule is left out here; the reader's access to it is
 * exercised through the reader token by the GPU pool's workloads tests.
 */
const NOT_IN_DISCOVERY = new Set(['visibility.kueue.x-k8s.io']);

function grantedChecks(rules: Rule[]): string[][] {
  return rules.flatMap(rule =>
    rule.apiGroups
      .filter(group => !NOT_IN_DISCOVERY.has(group))
      .flatMap(group =>
        rule.resources.flatMap(resource =>
          rule.verbs.flatMap(verb =>
            rule.resourceNames
              ? rule.resourceNames.map(n => canIArgs(verb, group, resource, n))
              : [canIArgs(verb, group, resource)],
          ),
        ),
      ),
  );
}

describeIfKubectl(
  'portal identities from deploy/rbac, asked with kubectl auth can-i',
  () => {
    let fleet: LabFleet;
    let dir: string;
    let kubectl: ReturnType<typeof makeKubectl>;

    beforeAll(async () => {
      fleet = await startLabFleet({ basePort: 0, adminPort: 0 });
      dir = mkdtempSync(path.join(tmpdir(), 'rbac-kubectl-'));
      await fleet.writeKubeconfig(path.join(dir, 'config'));
      kubectl = makeKubectl(path.join(dir, 'config'), path.join(dir, 'cache'));
    });
    afterAll(async () => {
      await fleet?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function answers(context: string, checks: string[][]) {
      const out: string[] = [];
      for (const args of checks) {
        const r = await kubectl.run(['--context', context, ...args]);
        out.push(
          `${args.slice(2).join(' ')} -> ${
            r.stdout.trim() || r.stderr.trim()
          } (${r.code})`,
        );
      }
      return out;
    }

    const verbsOf = (answersList: string[], expected: 'yes' | 'no') =>
      answersList.filter(
        a => !a.endsWith(`-> ${expected} (${expected === 'yes' ? 0 : 1})`),
      );

    it('says yes to everything portal-reader grants and no to any write or secret', async () => {
      const granted = grantedChecks(
        clusterRoleRules('portal-reader.yaml', 'portal-reader'),
      );
      expect(granted.length).toBeGreaterThan(20);
      expect(verbsOf(await answers('lab-main-reader', granted), 'yes')).toEqual(
        [],
      );
      const refused = [
        ['auth', 'can-i', 'create', 'namespaces'],
        ['auth', 'can-i', 'delete', 'namespaces/payments'],
        ['auth', 'can-i', 'patch', 'resourcequotas', '-n', 'ml-training'],
        ['auth', 'can-i', 'get', 'secrets', '-n', 'cloud-smart-portal'],
        ['auth', 'can-i', 'list', 'secrets', '-A'],
        [
          'auth',
          'can-i',
          'create',
          'pods',
          '--subresource=exec',
          '-n',
          'ml-training',
        ],
        [
          'auth',
          'can-i',
          'bind',
          'clusterroles.rbac.authorization.k8s.io/edit',
        ],
        ['auth', 'can-i', 'list', 'clusterroles.rbac.authorization.k8s.io'],
        ['auth', 'can-i', '*', '*'],
      ];
      expect(verbsOf(await answers('lab-main-reader', refused), 'no')).toEqual(
        [],
      );
    });

    it('says yes to exactly the writer verbs and no beyond them', async () => {
      const granted = grantedChecks(
        clusterRoleRules('portal-writer.yaml', 'portal-writer'),
      );
      expect(granted).toContainEqual([
        'auth',
        'can-i',
        'bind',
        'clusterroles.rbac.authorization.k8s.io/edit',
      ]);
      // On lab-main: lab-edge has no Kueue, so kubectl could not name the
      // Kueue resources the writer may manage there.
      expect(verbsOf(await answers('lab-main-writer', granted), 'yes')).toEqual(
        [],
      );
      const refused = [
        ['auth', 'can-i', 'list', 'namespaces'],
        ['auth', 'can-i', 'update', 'namespaces/payments'],
        ['auth', 'can-i', 'list', 'pods', '-A'],
        ['auth', 'can-i', 'delete', 'resourcequotas', '-n', 'ml-inference'],
        [
          'auth',
          'can-i',
          'patch',
          'resourcequotas/team-quota',
          '-n',
          'ml-inference',
        ],
        [
          'auth',
          'can-i',
          'delete',
          'rolebindings.rbac.authorization.k8s.io/ml-developers',
          '-n',
          'ml-training',
        ],
        ['auth', 'can-i', 'create', 'deployments.apps', '-n', 'ml-inference'],
        ['auth', 'can-i', 'get', 'secrets', '-n', 'cloud-smart-portal'],
        [
          'auth',
          'can-i',
          'bind',
          'clusterroles.rbac.authorization.k8s.io/cluster-admin',
        ],
        [
          'auth',
          'can-i',
          'bind',
          'clusterroles.rbac.authorization.k8s.io/admin',
        ],
        [
          'auth',
          'can-i',
          'escalate',
          'clusterroles.rbac.authorization.k8s.io/portal-writer',
        ],
        [
          'auth',
          'can-i',
          'create',
          'clusterrolebindings.rbac.authorization.k8s.io',
        ],
      ];
      expect(verbsOf(await answers('lab-edge-writer', refused), 'no')).toEqual(
        [],
      );
    });

    it('names the service account in whoami and keeps the admin context all-powerful', async () => {
      const who = await kubectl.run([
        '--context',
        'lab-main-writer',
        'auth',
        'whoami',
        '-o',
        'json',
      ]);
      expect(who.code).toBe(0);
      expect(JSON.parse(who.stdout).status.userInfo.username).toBe(
        'system:serviceaccount:cloud-smart-portal:portal-writer',
      );
      const admin = await kubectl.run([
        '--context',
        'lab-main',
        'auth',
        'can-i',
        '*',
        '*',
      ]);
      expect(admin.stdout.trim()).toBe('yes');
    });

    it("refuses a real write by the reader with the API server's Forbidden error", async () => {
      const r = await kubectl.run([
        '--context',
        'lab-main-reader',
        'delete',
        'namespace',
        'payments',
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        'Error from server (Forbidden): namespaces "payments" is forbidden: User "system:serviceaccount:cloud-smart-portal:portal-reader" cannot delete resource "namespaces" in API group "" in the namespace "payments"',
      );
      const still = await kubectl.run([
        '--context',
        'lab-main',
        'get',
        'namespace',
        'payments',
        '-o',
        'name',
      ]);
      expect(still.stdout.trim()).toBe('namespace/payments');
    });
  },
);

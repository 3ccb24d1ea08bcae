import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import { parseCurationRulesConfig } from './config';
import {
  createCatalogIndex,
  evaluateCurationRules,
  formatRuleViolation,
} from './evaluateCurationRules';

const config = parseCurationRulesConfig(undefined);

function entity(
  kind: string,
  name: string,
  spec: Record<string, any> = {},
  namespace?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec,
  };
}

const group = entity('Group', 'payments-team', { type: 'team', children: [] });
const user = entity('User', 'jisoo.han', { memberOf: ['payments-team'] });
const goodComponent = entity('Component', 'payments-api', {
  type: 'service',
  lifecycle: 'production',
  owner: 'payments-team',
  system: 'payments',
});

function rulesOf(target: Entity, others: Entity[] = []) {
  const index = createCatalogIndex([group, user, target, ...others]);
  return evaluateCurationRules(target, index, config).map(v => v.rule);
}

describe('evaluateCurationRules', () => {
  it('passes a component with a group owner, a system and a known lifecycle', () => {
    expect(rulesOf(goodComponent)).toEqual([]);
  });

  it('flags an owner that is missing, a user, or an unknown group', () => {
    expect(rulesOf({ ...goodComponent, spec: { ...goodComponent.spec, owner: undefined } })).toEqual(['owner-is-group']);
    expect(rulesOf({ ...goodComponent, spec: { ...goodComponent.spec, owner: 'user:jisoo.han' } })).toEqual(['owner-is-group']);
    const ghost = { ...goodComponent, spec: { ...goodComponent.spec, owner: 'ghost-team' } };
    const index = createCatalogIndex([group, ghost]);
    const [violation] = evaluateCurationRules(ghost, index, config);
    expect(violation.rule).toBe('owner-is-group');
    expect(violation.values).toEqual({ owner: 'group:default/ghost-team' });
    expect(formatRuleViolation(violation)).toMatch(/^\[curation:owner-is-group\] /);
  });

  it('resolves a bare owner in the entity namespace', () => {
    const inTeamNs = entity('Component', 'x', { ...goodComponent.spec }, 'finance');
    expect(rulesOf(inTeamNs)).toEqual(['owner-is-group']);
    const financeGroup = entity('Group', 'payments-team', {}, 'finance');
    expect(rulesOf(inTeamNs, [financeGroup])).toEqual([]);
  });

  it('requires a system of components and APIs, not of resources', () => {
    const noSystem = { ...goodComponent, spec: { ...goodComponent.spec, system: undefined } };
    expect(rulesOf(noSystem)).toEqual(['system-required']);
    const api = entity('API', 'payments-api', { type: 'openapi', lifecycle: 'production', owner: 'payments-team', definition: 'x' });
    expect(rulesOf(api)).toEqual(['system-required']);
    const db = entity('Resource', 'payments-db', { type: 'database', owner: 'payments-team' });
    expect(rulesOf(db)).toEqual([]);
  });

  it('accepts only configured lifecycles', () => {
    const beta = { ...goodComponent, spec: { ...goodComponent.spec, lifecycle: 'beta' } };
    expect(rulesOf(beta)).toEqual(['lifecycle-known']);
    const custom = parseCurationRulesConfig({ lifecycles: ['beta'] });
    const index = createCatalogIndex([group, beta]);
    expect(evaluateCurationRules(beta, index, custom)).toEqual([]);
  });

  it('flags name clashes across namespaces and within kind groups', () => {
    const otherNs = entity('Component', 'payments-api', { ...goodComponent.spec }, 'finance');
    expect(rulesOf(goodComponent, [otherNs])).toEqual(['name-unique']);

    const resource = entity('Resource', 'payments-api', { type: 'database', owner: 'payments-team' });
    expect(rulesOf(goodComponent, [resource])).toEqual(['name-unique']);

    // A component and the API it provides may share a name.
    const api = entity('API', 'payments-api', { type: 'openapi', lifecycle: 'production', owner: 'payments-team', system: 'payments', definition: 'x' });
    expect(rulesOf(goodComponent, [api])).toEqual([]);

    const sameNsOnly = parseCurationRulesConfig({ nameClash: { acrossNamespaces: false } });
    const index = createCatalogIndex([group, goodComponent, otherNs]);
    expect(evaluateCurationRules(goodComponent, index, sameNsOnly)).toEqual([]);
  });

  it('rejects invalid configuration naming the field', () => {
    expect(() => parseCurationRulesConfig({ lifecycles: [] })).toThrow(/catalog\.curation\.lifecycles/);
  });

  it('passes every entity of the example organisation', () => {
    const root = path.resolve(__dirname, '../../../..');
    const files = ['catalog-info.yaml', ...fs.readdirSync(path.join(root, 'catalog')).map(f => `catalog/${f}`)];
    const entities: Entity[] = files.flatMap(file =>
      parseAllDocuments(fs.readFileSync(path.join(root, file), 'utf8')).map(d => d.toJS() as Entity),
    );
    expect(entities.length).toBeGreaterThan(20);
    const index = createCatalogIndex(entities);
    const problems = entities.flatMap(e =>
      evaluateCurationRules(e, index, config).map(v => `${e.kind}:${e.metadata.name} ${v.message}`),
    );
    expect(problems).toEqual([]);
  });
});

import { Entity } from '@backstage/catalog-model';
import {
  QualityFacts,
  detectPipelineStages,
  evaluateQualityChecks,
  parsePipelineStagesAnnotation,
} from './evaluateQualityChecks';

const goodFacts: QualityFacts = {
  ownerIsGroup: true,
  systemExists: true,
  lifecycles: ['experimental', 'production', 'deprecated'],
  providedApis: [{ ref: 'api:default/payments-api', found: true, hasDefinition: true }],
  pipeline: { stages: ['sast', 'image-scan', 'sbom'], source: 'annotation' },
  teamNamespaces: ['payments', 'payments-dev'],
};

const goodService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: {
      'backstage.io/techdocs-ref': 'dir:.',
      'backstage.io/kubernetes-id': 'payments-api',
      'backstage.io/kubernetes-namespace': 'payments',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments-team', system: 'payments', providesApis: ['payments-api'] },
};

function statuses(entity: Entity, facts: QualityFacts) {
  return Object.fromEntries(evaluateQualityChecks(entity, facts).map(r => [r.id, r.status]));
}

describe('evaluateQualityChecks', () => {
  it('passes a complete service', () => {
    expect(statuses(goodService, goodFacts)).toEqual({
      owner: 'pass',
      system: 'pass',
      lifecycle: 'pass',
      techdocs: 'pass',
      'api-definition': 'pass',
      pipeline: 'pass',
      'kubernetes-namespace': 'pass',
    });
  });

  it('says what a bare service lacks', () => {
    const bare: Entity = {
      ...goodService,
      metadata: { name: 'bare', annotations: { 'backstage.io/kubernetes-id': 'bare' } },
      spec: { type: 'service', lifecycle: 'beta', owner: 'user:someone', providesApis: ['bare-api'] },
    };
    const results = evaluateQualityChecks(bare, {
      ...goodFacts,
      ownerIsGroup: false,
      systemExists: false,
      providedApis: [{ ref: 'api:default/bare-api', found: false, hasDefinition: false }],
      pipeline: { stages: ['sast'], source: 'gitlab-ci' },
    });
    const byId = Object.fromEntries(results.map(r => [r.id, r]));
    expect(results.every(r => r.status === 'fail')).toBe(true);
    expect(byId.techdocs.missing).toEqual(['backstage.io/techdocs-ref']);
    expect(byId['api-definition'].missing).toEqual(['api:default/bare-api']);
    expect(byId.pipeline.missing).toEqual(['image-scan', 'sbom']);
    expect(byId['kubernetes-namespace'].missing).toEqual(['backstage.io/kubernetes-namespace']);
  });

  it('fails a namespace the team does not own', () => {
    const foreign = {
      ...goodService,
      metadata: { ...goodService.metadata, annotations: { ...goodService.metadata.annotations, 'backstage.io/kubernetes-namespace': 'ml-team' } },
    };
    const [k8s] = evaluateQualityChecks(foreign, goodFacts).filter(r => r.id === 'kubernetes-namespace');
    expect(k8s).toMatchObject({ status: 'fail', missing: [], values: { namespace: 'ml-team' } });
  });

  it('treats an unknown pipeline as missing every stage', () => {
    const [pipeline] = evaluateQualityChecks(goodService, { ...goodFacts, pipeline: undefined }).filter(r => r.id === 'pipeline');
    expect(pipeline).toMatchObject({ status: 'fail', missing: ['sast', 'image-scan', 'sbom'], values: { source: 'unknown' } });
  });

  it('asks libraries for no image scan and no namespace', () => {
    const lib: Entity = { ...goodService, spec: { ...goodService.spec, type: 'library', providesApis: [] } };
    const s = statuses(lib, { ...goodFacts, providedApis: [], pipeline: { stages: ['sast', 'sbom'], source: 'annotation' } });
    expect(s.pipeline).toBe('pass');
    expect(s['kubernetes-namespace']).toBe('not-applicable');
    expect(s['api-definition']).toBe('not-applicable');
  });

  it('checks the definition of an API', () => {
    const api: Entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'API', metadata: { name: 'a' }, spec: { type: 'openapi', lifecycle: 'production', owner: 'x', system: 'y', definition: '' } };
    expect(statuses(api, goodFacts)['api-definition']).toBe('fail');
    expect(statuses({ ...api, spec: { ...api.spec, definition: 'openapi: 3.0.3' } }, goodFacts)['api-definition']).toBe('pass');
  });
});

describe('pipeline stage detection', () => {
  it('finds stages in a GitLab CI file', () => {
    const ci = `include:
  - template: Security/SAST.gitlab-ci.yml
stages: [build, test, scan]
container_scanning:
  stage: scan
sbom:
  script: syft . -o cyclonedx-json
`;
    expect(detectPipelineStages(ci)).toEqual(['sast', 'image-scan', 'sbom']);
    expect(detectPipelineStages('build:\n  script: mvn package\n')).toEqual([]);
    expect(detectPipelineStages('scan:\n  script: trivy image $IMAGE\n')).toEqual(['image-scan']);
  });

  it('reads the golden path annotation', () => {
    expect(parsePipelineStagesAnnotation(' SBOM, sast ,lint')).toEqual(['sast', 'sbom']);
  });
});

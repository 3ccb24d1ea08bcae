import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The text of catalog curation, English with Korean.
 *
 * @public
 */
export const catalogCurationTranslationRef = createTranslationRef({
  id: 'plugin.catalog-curation.translation',
  messages: {
    page: {
      title: 'Catalog curation',
      subtitle:
        'Owner, system, lifecycle and name rules, orphans, processing failures, duplicate candidates',
      refused: 'Catalog curation is for the platform team.',
      refusedDetail:
        'What your components lack is shown on the quality card of each component page.',
      loading: 'Loading…',
      error: 'Could not load the curation report: {{message}}',
      summary:
        '{{entities}} entities, {{problems}} problems, {{orphans}} orphans, {{failed}} failed',
    },
    sections: {
      byRule: 'Problems by rule',
      byTeam: 'Problems by team',
      orphans: 'Orphaned entities (their location is gone)',
      failed: 'Unprocessed entities',
      duplicates: 'Duplicate candidates',
      history: 'Counts per team over time',
    },
    empty: {
      problems: 'No problems: every entity keeps the rules.',
      orphans: 'No orphaned entities.',
      failed: 'No entity failed processing.',
      duplicates: 'No duplicate candidates.',
      history:
        'No snapshot recorded yet. A scheduled task records one at least daily.',
    },
    columns: {
      entity: 'Entity',
      team: 'Owning team',
      rule: 'Rule',
      problem: 'Problem',
      count: 'Count',
      errors: 'Errors',
      reason: 'Reason',
      key: 'Key',
      entities: 'Entities',
      day: 'Day',
      problems: 'With problems',
      orphans: 'Orphans',
      actions: 'Actions',
    },
    rules: {
      'owner-is-group': 'Owner is not a Group',
      'system-required': 'No system',
      'lifecycle-known': 'Unknown lifecycle',
      'name-unique': 'Name clash',
      'processing-error': 'Other processing error',
    },
    problems: {
      'owner-is-group':
        'spec.owner must name a Group of the catalog: teams own software, people do not.',
      'system-required': 'spec.system must name the System this belongs to.',
      'lifecycle-known': 'spec.lifecycle must be one of the known lifecycles.',
      'name-unique': 'metadata.name clashes with another entity.',
      details: 'Details: {{message}}',
    },
    duplicates: {
      name: 'Same name',
      'source-location': 'Same repository',
    },
    orphans: {
      unregister: 'Unregister',
      unregistered: 'Unregistered {{entity}}.',
      failed: 'Could not unregister: {{message}}',
    },
    team: { unowned: 'Unowned' },
    card: {
      title: 'Catalog quality',
      score: '{{passed}} of {{applicable}} passed',
      loading: 'Checking quality…',
      error: 'Could not load the quality checks: {{message}}',
      allPassed: 'Every check passed.',
      missing: 'Missing: {{items}}',
    },
    checks: {
      owner: {
        title: 'Owning team',
        fix: 'Set spec.owner to a Group in the catalog (for example group:default/ml-team). People cannot own entities.',
      },
      system: {
        title: 'System',
        fix: 'Set spec.system to the name of a System in the catalog.',
      },
      lifecycle: {
        title: 'Lifecycle',
        fix: 'Set spec.lifecycle to one of: {{allowed}}',
      },
      techdocs: {
        title: 'TechDocs',
        fix: 'Add docs/ and mkdocs.yml, and the annotation {{annotation}}',
      },
      'api-definition': {
        title: 'API definition',
        fix: 'Register the APIs you provide, with their OpenAPI (or other) definition in spec.definition.',
      },
      pipeline: {
        title: 'Secure pipeline',
        fix: 'Add SAST, image scan and SBOM stages to .gitlab-ci.yml (include the golden path templates). Stages learnt from: {{source}}',
        source: {
          annotation: 'the pipeline-stages annotation',
          'gitlab-ci': '.gitlab-ci.yml',
          unknown: 'nowhere (no annotation, no readable .gitlab-ci.yml)',
        },
      },
      'kubernetes-namespace': {
        title: 'Kubernetes namespace',
        fix: 'Set the annotations backstage.io/kubernetes-id and backstage.io/kubernetes-namespace; the namespace must be one your team owns: {{teamNamespaces}}',
      },
    },
    status: {
      pass: 'Passed',
      fail: 'Needs work',
      'not-applicable': 'Not applicable',
    },
  },
  translations: {
    ko: () => import('./messagesKo'),
  },
});

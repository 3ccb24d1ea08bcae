// The CustomResourceDefinitions a Kueue installation serves (v1beta2), with
// Kueue's printer columns, short names and status subresources. A fixture
// cluster with `kueue: true` gets them at start.

function crd(
  plural: string,
  kind: string,
  scope: 'Cluster' | 'Namespaced',
  shortNames: string[],
  columns: Array<Record<string, unknown>>,
  status = true,
): Record<string, any> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.kueue.x-k8s.io`,
      creationTimestamp: '-100d',
      labels: {
        'app.kubernetes.io/name': 'kueue',
        'control-plane': 'controller-manager',
      },
    },
    spec: {
      group: 'kueue.x-k8s.io',
      scope,
      names: {
        plural,
        singular: kind.toLowerCase(),
        kind,
        listKind: `${kind}List`,
        shortNames,
      },
      versions: [
        {
          name: 'v1beta2',
          served: true,
          storage: true,
          ...(status ? { subresources: { status: {} } } : {}),
          ...(columns.length ? { additionalPrinterColumns: columns } : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        },
      ],
    },
  };
}

const age = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
};

/** ResourceFlavor, ClusterQueue, LocalQueue and Workload CRDs of kueue.x-k8s.io/v1beta2. */
export function kueueCrds(): Array<Record<string, any>> {
  return [
    crd(
      'resourceflavors',
      'ResourceFlavor',
      'Cluster',
      ['flavor', 'flavors', 'rf'],
      [age],
      false,
    ),
    crd(
      'clusterqueues',
      'ClusterQueue',
      'Cluster',
      ['cq'],
      [
        { name: 'Cohort', type: 'string', jsonPath: '.spec.cohortName' },
        {
          name: 'Strategy',
          type: 'string',
          jsonPath: '.spec.queueingStrategy',
          priority: 1,
        },
        {
          name: 'Pending Workloads',
          type: 'integer',
          jsonPath: '.status.pendingWorkloads',
        },
        {
          name: 'Admitted Workloads',
          type: 'integer',
          jsonPath: '.status.admittedWorkloads',
          priority: 1,
        },
      ],
    ),
    crd(
      'localqueues',
      'LocalQueue',
      'Namespaced',
      ['queue', 'queues', 'lq'],
      [
        {
          name: 'ClusterQueue',
          type: 'string',
          jsonPath: '.spec.clusterQueue',
        },
        {
          name: 'Pending Workloads',
          type: 'integer',
          jsonPath: '.status.pendingWorkloads',
        },
        {
          name: 'Admitted Workloads',
          type: 'integer',
          jsonPath: '.status.admittedWorkloads',
        },
      ],
    ),
    crd(
      'workloads',
      'Workload',
      'Namespaced',
      ['wl'],
      [
        { name: 'Queue', type: 'string', jsonPath: '.spec.queueName' },
        {
          name: 'Reserved in',
          type: 'string',
          jsonPath: '.status.admission.clusterQueue',
        },
        {
          name: 'Admitted',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Admitted")].status',
        },
        {
          name: 'Finished',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Finished")].status',
        },
        age,
      ],
    ),
  ];
}

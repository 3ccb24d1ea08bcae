import { containersOf, findPodSpec } from './podSpec';
import { Manifest, PolicyRule, Violation } from './types';

/** The label every namespace must carry: the owning group of the portal. */
export const OWNER_LABEL = 'portal.cloud-smart.io/owner';
/** Pod Security Admission level the cluster enforces for the namespace. */
export const PSA_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

function violation(
  manifest: Manifest,
  rule: string,
  path: string,
  message: string,
): Violation {
  return {
    rule,
    file: manifest.file,
    kind: manifest.kind,
    name: manifest.metadata.name ?? '<unnamed>',
    path,
    message,
  };
}

const nonRoot: PolicyRule = {
  id: 'non-root',
  description:
    'Containers run as a non-root user: runAsNonRoot true (pod or container) and runAsUser is not 0.',
  check(manifest) {
    const pod = findPodSpec(manifest);
    if (!pod) {
      return [];
    }
    const out: Violation[] = [];
    const podSc = pod.spec.securityContext ?? {};
    if (podSc.runAsUser === 0) {
      out.push(
        violation(
          manifest,
          'non-root',
          `${pod.path}.securityContext.runAsUser`,
          'runAsUser must not be 0 (root)',
        ),
      );
    }
    for (const { container, path } of containersOf(pod)) {
      const sc = container.securityContext ?? {};
      const nonRootSet = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (nonRootSet !== true) {
        out.push(
          violation(
            manifest,
            'non-root',
            `${path}.securityContext.runAsNonRoot`,
            'runAsNonRoot must be true on the container or the pod',
          ),
        );
      }
      if (sc.runAsUser === 0) {
        out.push(
          violation(
            manifest,
            'non-root',
            `${path}.securityContext.runAsUser`,
            'runAsUser must not be 0 (root)',
          ),
        );
      }
    }
    return out;
  },
};

/**
 * Splits an image reference into its tag and digest. The tag is the part
 * after the last ':' of the last path segment (a ':' before that is a
 * registry port).
 */
export function parseImageReference(image: string): {
  tag?: string;
  digest?: string;
} {
  const [nameAndTag, digest] = image.split('@', 2);
  const lastSlash = nameAndTag.lastIndexOf('/');
  const lastSegment = nameAndTag.slice(lastSlash + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
  return { tag: tag || undefined, digest: digest || undefined };
}

const noLatestTag: PolicyRule = {
  id: 'no-latest-tag',
  description:
    'Every image names a version: a tag other than "latest", or a digest.',
  check(manifest) {
    const pod = findPodSpec(manifest);
    if (!pod) {
      return [];
    }
    const out: Violation[] = [];
    for (const { container, path } of containersOf(pod)) {
      const image = container.image;
      if (typeof image !== 'string' || image.trim() === '') {
        out.push(
          violation(manifest, 'no-latest-tag', `${path}.image`, 'no image set'),
        );
        continue;
      }
      const { tag, digest } = parseImageReference(image);
      if (digest) {
        continue;
      }
      if (!tag) {
        out.push(
          violation(
            manifest,
            'no-latest-tag',
            `${path}.image`,
            `image "${image}" has no tag (means :latest); pin a version or a digest`,
          ),
        );
      } else if (tag === 'latest') {
        out.push(
          violation(
            manifest,
            'no-latest-tag',
            `${path}.image`,
            `image "${image}" uses :latest; pin a version or a digest`,
          ),
        );
      }
    }
    return out;
  },
};

const resources: PolicyRule = {
  id: 'resources',
  description:
    'Every container sets requests and limits for cpu and memory (GPUs as limits).',
  check(manifest) {
    const pod = findPodSpec(manifest);
    if (!pod) {
      return [];
    }
    const out: Violation[] = [];
    for (const { container, path } of containersOf(pod)) {
      for (const kind of ['requests', 'limits'] as const) {
        const values = container.resources?.[kind] ?? {};
        const missing = ['cpu', 'memory'].filter(
          r =>
            values[r] === undefined || values[r] === null || values[r] === '',
        );
        if (missing.length > 0) {
          out.push(
            violation(
              manifest,
              'resources',
              `${path}.resources.${kind}`,
              `${kind} missing for ${missing.join(' and ')}`,
            ),
          );
        }
      }
    }
    return out;
  },
};

const probes: PolicyRule = {
  id: 'probes',
  description:
    'Containers of long-running workloads (Deployment, StatefulSet, DaemonSet, Pod) have readiness and liveness probes; Jobs are exempt.',
  check(manifest) {
    const pod = findPodSpec(manifest);
    if (!pod || !pod.longRunning) {
      return [];
    }
    const out: Violation[] = [];
    for (const { container, path, init } of containersOf(pod)) {
      if (init) {
        continue;
      }
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        if (!container[probe]) {
          out.push(
            violation(
              manifest,
              'probes',
              `${path}.${probe}`,
              `${probe} missing`,
            ),
          );
        }
      }
    }
    return out;
  },
};

const noHostPath: PolicyRule = {
  id: 'no-host-path',
  description: 'No hostPath volumes.',
  check(manifest) {
    const pod = findPodSpec(manifest);
    if (!pod) {
      return [];
    }
    const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    return volumes
      .filter((v: Record<string, any>) => v?.hostPath)
      .map((v: Record<string, any>) =>
        violation(
          manifest,
          'no-host-path',
          `${pod.path}.volumes[${v.name}].hostPath`,
          `volume "${v.name}" mounts the host path ${v.hostPath.path}`,
        ),
      );
  },
};

const noPrivileged: PolicyRule = {
  id: 'no-privileged',
  description:
    'No privileged containers, no privilege escalation, no added capabilities, no host network/PID/IPC.',
  check(manifest) {
    const pod = findPodSpec(manifest);
    if (!pod) {
      return [];
    }
    const out: Violation[] = [];
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (pod.spec[field] === true) {
        out.push(
          violation(
            manifest,
            'no-privileged',
            `${pod.path}.${field}`,
            `${field} must not be true`,
          ),
        );
      }
    }
    for (const { container, path } of containersOf(pod)) {
      const sc = container.securityContext ?? {};
      if (sc.privileged === true) {
        out.push(
          violation(
            manifest,
            'no-privileged',
            `${path}.securityContext.privileged`,
            'privileged containers are not allowed',
          ),
        );
      }
      if (sc.allowPrivilegeEscalation !== false) {
        out.push(
          violation(
            manifest,
            'no-privileged',
            `${path}.securityContext.allowPrivilegeEscalation`,
            'allowPrivilegeEscalation must be false',
          ),
        );
      }
      const added = sc.capabilities?.add;
      if (Array.isArray(added) && added.length > 0) {
        out.push(
          violation(
            manifest,
            'no-privileged',
            `${path}.securityContext.capabilities.add`,
            `capabilities may not be added (${added.join(', ')})`,
          ),
        );
      }
    }
    return out;
  },
};

const namespaceLabels: PolicyRule = {
  id: 'namespace-labels',
  description: `Namespaces carry the labels ${OWNER_LABEL} and ${PSA_ENFORCE_LABEL}; namespaced objects name their namespace.`,
  check(manifest) {
    if (manifest.kind === 'Namespace') {
      const labels = manifest.metadata.labels ?? {};
      return [OWNER_LABEL, PSA_ENFORCE_LABEL]
        .filter(label => !labels[label])
        .map(label =>
          violation(
            manifest,
            'namespace-labels',
            `metadata.labels.${label}`,
            `namespace label ${label} missing`,
          ),
        );
    }
    if (!CLUSTER_SCOPED.has(manifest.kind) && !manifest.metadata.namespace) {
      return [
        violation(
          manifest,
          'namespace-labels',
          'metadata.namespace',
          'metadata.namespace must be set so the object lands in its team namespace',
        ),
      ];
    }
    return [];
  },
};

/**
 * The platform's rules, in the order reports list them.
 *
 * @public
 */
export const platformRules: PolicyRule[] = [
  nonRoot,
  noLatestTag,
  resources,
  probes,
  noHostPath,
  noPrivileged,
  namespaceLabels,
];

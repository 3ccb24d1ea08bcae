/**
 * A Kubernetes object read from a manifest file.
 *
 * @public
 */
export interface Manifest {
  /** File the object came from, relative to the scanned root. */
  file: string;
  /** Position of the document inside a multi-document file, from 0. */
  documentIndex: number;
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  /** The whole parsed object. */
  object: Record<string, any>;
}

/**
 * One broken rule on one object.
 *
 * @public
 */
export interface Violation {
  /** Rule id, e.g. `no-latest-tag`. */
  rule: string;
  file: string;
  kind: string;
  name: string;
  /** Where in the object, e.g. `spec.template.spec.containers[app].image`. */
  path: string;
  message: string;
}

/**
 * A platform rule for manifests.
 *
 * @public
 */
export interface PolicyRule {
  id: string;
  /** One line, shown by `manifest-policy --rules`. */
  description: string;
  check(manifest: Manifest): Violation[];
}

/**
 * The outcome of checking a set of manifests.
 *
 * @public
 */
export interface PolicyReport {
  /** Number of Kubernetes objects checked. */
  checked: number;
  violations: Violation[];
  /** Files that could not be parsed as YAML. */
  errors: Array<{ file: string; message: string }>;
}

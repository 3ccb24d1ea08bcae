/**
 * Set by the golden paths on the components they create: the stages of the
 * component's CI pipeline, comma-separated (for example
 * `sast,image-scan,sbom`).
 *
 * @public
 */
export const ANNOTATION_PIPELINE_STAGES = 'portal.cloud-smart.io/pipeline-stages';

/** @public */
export const ANNOTATION_ORPHAN = 'backstage.io/orphan';
/** @public */
export const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';
/** @public */
export const ANNOTATION_TECHDOCS_REF = 'backstage.io/techdocs-ref';
/** @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** @public */
export const ANNOTATION_KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';

/**
 * The `spec.type` of the Resource entities that stand for Kubernetes
 * namespaces (written by the clusters entity provider).
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_RESOURCE_TYPE = 'kubernetes-namespace';

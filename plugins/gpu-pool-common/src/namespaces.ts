/**
 * Namespaces the GPU pool never touches, whatever the configuration says:
 * the cluster's own, the GPU operator's and the portal's. A trailing `*`
 * matches any suffix.
 *
 * @public
 */
export const BUILT_IN_PROTECTED_NAMESPACES: readonly string[] = [
  'kube-*',
  'default',
  'gpu-operator',
  'gpu-operator-resources',
  'nvidia-gpu-operator',
  'nvidia-*',
  'portal',
  'portal-*',
  // where deploy/ installs the portal and its cluster identities
  'cloud-smart-portal',
  'backstage',
  'backstage-*',
];

/**
 * Whether a namespace name matches one of the patterns (exact names, or a
 * prefix followed by `*`).
 *
 * @public
 */
export function isProtectedNamespace(
  namespace: string,
  patterns: readonly string[] = BUILT_IN_PROTECTED_NAMESPACES,
): boolean {
  return patterns.some(pattern =>
    pattern.endsWith('*')
      ? namespace.startsWith(pattern.slice(0, -1))
      : namespace === pattern,
  );
}

import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the curation report: problems, orphans, failed entities, duplicate
 * candidates and counts per team. Reserved to the platform team by the
 * portal policy.
 *
 * @public
 */
export const catalogCurationReadPermission = createPermission({
  name: 'catalog-curation.report.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of catalog curation, for registration with the
 * permissions registry.
 *
 * @public
 */
export const catalogCurationPermissions = [catalogCurationReadPermission];

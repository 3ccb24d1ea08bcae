import { Entity } from '@backstage/catalog-model';
import { useEntityPresentation } from '@backstage/plugin-catalog-react';

/**
 * The name people know a team, user or other entity by: the profile's
 * display name, else the title, else the short ref. Refs are looked up in
 * the catalog (batched by the entity presentation API) and the hook
 * re-renders when the answer arrives; until then it returns the short ref.
 *
 * @public
 */
export function useDisplayName(
  entityOrRef: Entity | string,
  options?: { defaultKind?: string; defaultNamespace?: string },
): string {
  return useEntityPresentation(entityOrRef, options).primaryTitle;
}

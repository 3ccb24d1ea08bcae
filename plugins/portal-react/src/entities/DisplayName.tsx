import { Entity } from '@backstage/catalog-model';
import { useDisplayName } from './useDisplayName';

/**
 * The display name of a team, user or other entity as text, for places
 * where a link ({@link @backstage/plugin-catalog-react#EntityRefLink}) does not fit.
 *
 * @public
 */
export function DisplayName(props: {
  entityRef: Entity | string;
  defaultKind?: string;
}) {
  const name = useDisplayName(props.entityRef, {
    defaultKind: props.defaultKind,
  });
  return <>{name}</>;
}

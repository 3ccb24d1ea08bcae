import { ComponentProps } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { DependencyGraphTypes } from '@backstage/core-components';
import { EntityCatalogGraphCard } from '@backstage/plugin-catalog-graph';
import { makeStyles } from '@material-ui/core/styles';
import { portalTranslationRef } from '../../translations/portalTranslationRef';

const relationKeys = {
  ownedBy: 'relations.ownedBy',
  ownerOf: 'relations.ownerOf',
  partOf: 'relations.partOf',
  hasPart: 'relations.hasPart',
  providesApi: 'relations.providesApi',
  apiProvidedBy: 'relations.apiProvidedBy',
  consumesApi: 'relations.consumesApi',
  apiConsumedBy: 'relations.apiConsumedBy',
  dependsOn: 'relations.dependsOn',
  dependencyOf: 'relations.dependencyOf',
  parentOf: 'relations.parentOf',
  childOf: 'relations.childOf',
  memberOf: 'relations.memberOf',
  hasMember: 'relations.hasMember',
} as const;

const useStyles = makeStyles(theme => ({
  text: { fill: theme.palette.textContrast },
  secondary: { fill: theme.palette.textSubtle },
}));

/**
 * An edge label as upstream draws it (a relation, or a pair of them
 * separated by " / ", the second one subtle), with Backstage's relation
 * types translated; other types are the organisation's own and shown as
 * they are.
 */
function RelationLabel(
  props: DependencyGraphTypes.RenderLabelProps<{ relations: string[] }>,
) {
  const { relations } = props.edge;
  const classes = useStyles();
  const { t } = useTranslationRef(portalTranslationRef);
  return (
    <text className={classes.text} textAnchor="middle">
      {relations.map((relation, i) => {
        const key = relationKeys[relation as keyof typeof relationKeys];
        return (
          <tspan key={relation} className={i % 2 ? classes.secondary : ''}>
            {i > 0 && <tspan> / </tspan>}
            {key ? t(key) : relation}
          </tspan>
        );
      })}
    </text>
  );
}

/** The catalog graph's entity card with {@link RelationLabel}. */
export function TranslatedGraphCard(
  props: ComponentProps<typeof EntityCatalogGraphCard>,
) {
  return <EntityCatalogGraphCard {...props} renderLabel={RelationLabel} />;
}

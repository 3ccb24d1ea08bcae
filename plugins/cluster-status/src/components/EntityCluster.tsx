import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { clusterStatusTranslationRef } from '../translation';
import { ClusterDetailsView, ClusterSummaryCard } from './ClusterDetailsView';

/** Annotation the catalog module sets on cluster resources. */
export const CLUSTER_ANNOTATION = 'portal.cloud-smart.io/cluster';

/** Whether an entity is a cluster resource. */
export function isClusterResource(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === 'kubernetes-cluster'
  );
}

function clusterName(entity: Entity): string {
  return entity.metadata.annotations?.[CLUSTER_ANNOTATION] ?? entity.metadata.name;
}

/** Overview card of a cluster resource. */
export function EntityClusterStatusCard() {
  const { entity } = useEntity();
  return <ClusterSummaryCard name={clusterName(entity)} />;
}

/** Tab of a cluster resource. */
export function EntityClusterStatusContent() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  if (!isClusterResource(entity)) {
    return (
      <InfoCard title={t('entity.tabTitle')}>
        <Typography>{t('entity.noAnnotation')}</Typography>
      </InfoCard>
    );
  }
  return <ClusterDetailsView name={clusterName(entity)} />;
}

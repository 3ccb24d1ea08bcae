import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useClusterData } from '../hooks/useClusterData';
import { clusterStatusTranslationRef } from '../translation';
import { ClusterCard } from './ClusterCard';

/** Body of the fleet page, without the page frame. */
export function FleetContent() {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { value, loading, error } = useClusterData(
    api => api.listClusters(),
    [],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel title={t('error.title')} error={error} />;
  }
  if (!value || value.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={t('fleet.empty')}
        description={t('fleet.emptyHint')}
      />
    );
  }
  return (
    <Grid container spacing={3} data-testid="cluster-fleet">
      {value.map(cluster => (
        <Grid item xs={12} lg={6} key={cluster.name}>
          <ClusterCard
            cluster={cluster}
            detailsLink={`./${encodeURIComponent(cluster.name)}`}
          />
        </Grid>
      ))}
    </Grid>
  );
}

/** The fleet page: one card per configured cluster. */
export function FleetPage() {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('fleet.title')} subtitle={t('fleet.subtitle')} />
      <Content>
        <FleetContent />
      </Content>
    </Page>
  );
}

import { Content, Header, Link, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import { Route, Routes, useParams } from 'react-router-dom';
import { clusterStatusTranslationRef } from '../translation';
import { ClusterDetailsView } from './ClusterDetailsView';
import { FleetPage } from './FleetPage';

function ClusterPage() {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { name = '' } = useParams();
  return (
    <Page themeId="tool">
      <Header title={name} subtitle={t('fleet.title')} />
      <Content>
        <Box mb={2}>
          <Link to="..">{t('cluster.back')}</Link>
        </Box>
        <ClusterDetailsView name={name} />
      </Content>
    </Page>
  );
}

/** The plugin's pages: the fleet at the root, a cluster below it. */
export function ClusterStatusRouter() {
  return (
    <Routes>
      <Route path="/" element={<FleetPage />} />
      <Route path="/:name" element={<ClusterPage />} />
    </Routes>
  );
}

import { Content, Header, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import { Link as RouterLink, Route, Routes } from 'react-router-dom';
import { gpuPoolTranslationRef } from '../translation';
import { ApprovalsView } from './ApprovalsView';
import { PoolView } from './PoolView';
import { RequestDetailsView } from './RequestDetailsView';
import { RequestGpusView } from './RequestGpusView';
import { WorkloadsView } from './WorkloadsView';

/** The GPU pool page and its sub-pages. */
export function GpuPoolPage() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')}>
        <Button component={RouterLink} to="jobs" color="inherit">
          {t('page.jobs')}
        </Button>
        <Button component={RouterLink} to="approvals" color="inherit">
          {t('page.approvals')}
        </Button>
      </Header>
      <Content>
        <Routes>
          <Route path="/" element={<RequestGpusView />} />
          <Route path="/requests/:id" element={<RequestDetailsView />} />
          <Route path="/approvals" element={<ApprovalsView />} />
          <Route path="/jobs" element={<WorkloadsView />} />
          <Route path="/pools/:id" element={<PoolView />} />
        </Routes>
      </Content>
    </Page>
  );
}

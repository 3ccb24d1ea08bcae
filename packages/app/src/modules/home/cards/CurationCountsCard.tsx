import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogCurationApiRef } from '@internal/plugin-catalog-curation';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { portalTranslationRef } from '../../../translations';
import { AsyncCard } from './AsyncCard';

/** The curation report's counts, for the platform team. */
export function CurationCountsCard() {
  const { t } = useTranslationRef(portalTranslationRef);
  const api = useApi(catalogCurationApiRef);
  const state = useAsync(() => api.getReport(), [api]);
  return (
    <AsyncCard
      title={t('home.curation.title')}
      testId="home-curation-counts"
      state={state}
      isEmpty={() => false}
      empty=""
      more="/catalog-curation"
    >
      {report => (
        <Typography variant="body2">
          {t('home.curation.summary', {
            entities: String(report.entityCount),
            problems: String(report.problems.length),
            orphans: String(report.orphans.length),
            failed: String(report.failed.length),
            duplicates: String(report.duplicates.length),
          })}
        </Typography>
      )}
    </AsyncCard>
  );
}

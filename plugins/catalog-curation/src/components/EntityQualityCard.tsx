import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_TECHDOCS_REF,
  QualityCheckResult,
} from '@internal/plugin-catalog-curation-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import useAsync from 'react-use/esm/useAsync';
import { catalogCurationApiRef } from '../api/CatalogCurationClient';
import { useCurationT } from './useCurationT';

function CheckItem(props: { check: QualityCheckResult }) {
  const t = useCurationT();
  const { check } = props;
  const passed = check.status === 'pass';
  const source = check.values?.source;
  const values = {
    allowed: '',
    teamNamespaces: '',
    ...check.values,
    // Where the stages were learnt is a key (annotation, gitlab-ci,
    // unknown), said in the portal's language.
    source: source ? t(`checks.pipeline.source.${source}`) : '',
    // What developers type, shown as code, not as a word of the sentence.
    annotation: <code>{ANNOTATION_TECHDOCS_REF}: dir:.</code>,
  };
  const secondary = passed ? (
    t('status.pass')
  ) : (
    <>
      <Typography
        variant="body2"
        component="span"
        display="block"
        style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}
      >
        {t(`checks.${check.id}.fix`, values)}
      </Typography>
      {check.missing && check.missing.length > 0 && (
        <Typography variant="caption" component="span" display="block">
          {t('card.missing', { items: check.missing.join(', ') })}
        </Typography>
      )}
    </>
  );
  return (
    <ListItem dense data-testid={`quality-${check.id}`} data-status={check.status}>
      <ListItemIcon>
        {passed ? (
          <CheckCircleIcon style={{ color: '#2e7d32' }} titleAccess={t('status.pass')} />
        ) : (
          <ErrorOutlineIcon color="error" titleAccess={t('status.fail')} />
        )}
      </ListItemIcon>
      <ListItemText primary={t(`checks.${check.id}.title`)} secondary={secondary}
        secondaryTypographyProps={{ component: 'div' }} />
    </ListItem>
  );
}

/** What the component lacks, and how to fix it. */
export function EntityQualityCard() {
  const t = useCurationT();
  const { entity } = useEntity();
  const api = useApi(catalogCurationApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(() => api.getQuality(entityRef), [api, entityRef]);

  let body;
  if (loading) {
    body = <Progress aria-label={t('card.loading')} />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} title={t('card.error', { message: error.message })} />;
  } else if (value) {
    const applicable = value.checks.filter(c => c.status !== 'not-applicable');
    // Failing checks first: they are what the developer came for.
    const ordered = [
      ...applicable.filter(c => c.status === 'fail'),
      ...applicable.filter(c => c.status === 'pass'),
    ];
    body = (
      <>
        {ordered.every(c => c.status === 'pass') && (
          <Typography variant="body2">{t('card.allPassed')}</Typography>
        )}
        <List dense>
          {ordered.map(check => (
            <CheckItem key={check.id} check={check} />
          ))}
        </List>
      </>
    );
  }
  return (
    <InfoCard
      title={t('card.title')}
      subheader={value ? t('card.score', { passed: value.passed, applicable: value.applicable }) : undefined}
    >
      {body}
    </InfoCard>
  );
}

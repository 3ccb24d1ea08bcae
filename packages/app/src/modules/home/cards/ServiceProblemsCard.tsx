import {
  identityApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { catalogCurationApiRef } from '@internal/plugin-catalog-curation';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import useAsync from 'react-use/esm/useAsync';
import { portalTranslationRef } from '../../../translations';
import { AsyncCard } from './AsyncCard';

/** At most this many services are checked, so the card stays quick. */
const maxServices = 20;

/** The quality checks that fail on the services and APIs the user's teams own. */
export function ServiceProblemsCard() {
  const { t } = useTranslationRef(portalTranslationRef);
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const curationApi = useApi(catalogCurationApiRef);
  const state = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: ['Component', 'API'],
        'relations.ownedBy': ownershipEntityRefs,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    const refs = items.slice(0, maxServices).map(e => stringifyEntityRef(e));
    const reports = await Promise.all(refs.map(r => curationApi.getQuality(r)));
    return {
      owned: refs.length,
      failing: reports.filter(r => r.passed < r.applicable),
    };
  }, [identityApi, catalogApi, curationApi]);
  return (
    <AsyncCard
      title={t('home.services.title')}
      testId="home-service-problems"
      state={state}
      isEmpty={v => v.owned === 0 || v.failing.length === 0}
      empty={
        state.value?.owned === 0
          ? t('home.services.none')
          : t('home.services.empty')
      }
    >
      {({ failing }) => (
        <List dense disablePadding>
          {failing.map(r => (
            <ListItem key={r.entityRef}>
              <ListItemText
                primary={<EntityRefLink entityRef={r.entityRef} />}
                secondary={t('home.services.failing', {
                  failed: String(r.applicable - r.passed),
                  applicable: String(r.applicable),
                })}
              />
            </ListItem>
          ))}
        </List>
      )}
    </AsyncCard>
  );
}

import { Link } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import useAsync from 'react-use/esm/useAsync';
import { portalTranslationRef } from '../../../translations';
import { AsyncCard } from './AsyncCard';

/** The golden paths (software templates) a developer can start from. */
export function GoldenPathsCard() {
  const { t } = useTranslationRef(portalTranslationRef);
  const catalogApi = useApi(catalogApiRef);
  const state = useAsync(
    async () =>
      (
        await catalogApi.getEntities({
          filter: { kind: 'Template' },
          fields: [
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'metadata.description',
          ],
        })
      ).items,
    [catalogApi],
  );
  return (
    <AsyncCard
      title={t('home.goldenPaths.title')}
      testId="home-golden-paths"
      state={state}
      isEmpty={v => v.length === 0}
      empty={t('home.goldenPaths.empty')}
      more="/create"
    >
      {templates => (
        <List dense disablePadding>
          {templates.map(tpl => (
            <ListItem key={tpl.metadata.name}>
              <ListItemText
                primary={
                  <Link
                    to={`/create/templates/${
                      tpl.metadata.namespace ?? 'default'
                    }/${tpl.metadata.name}`}
                  >
                    {tpl.metadata.title ?? tpl.metadata.name}
                  </Link>
                }
                secondary={tpl.metadata.description}
              />
            </ListItem>
          ))}
        </List>
      )}
    </AsyncCard>
  );
}

import { Link } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { useVisitDisplay, visitsApiRef } from '@backstage/plugin-home';
import { usePortalFormat } from '@internal/plugin-portal-react';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import useAsync from 'react-use/esm/useAsync';
import { portalTranslationRef } from '../../../translations';
import { AsyncCard } from './AsyncCard';

/** How many visits the card lists. */
const limit = 8;

/**
 * The pages the user opened last (`recent`) or most often (`top`), through
 * the visits API the home plugin exports. It stands in for the home
 * plugin's HomePageRecentlyVisited and HomePageTopVisited: their VisitList
 * puts its "no visits" and "few visits" paragraphs, and the collapsed rest,
 * directly inside the `<ul>` (axe: list).
 */
export function VisitsCard(props: { kind: 'recent' | 'top'; title: string }) {
  const { kind } = props;
  const { t } = useTranslationRef(portalTranslationRef);
  const visitsApi = useApi(visitsApiRef);
  const { getChipColor, getLabel } = useVisitDisplay();
  const format = usePortalFormat();
  const state = useAsync(
    () =>
      visitsApi.list({
        limit,
        orderBy: [
          kind === 'recent'
            ? { field: 'timestamp', direction: 'desc' }
            : { field: 'hits', direction: 'desc' },
        ],
      }),
    [visitsApi, kind],
  );
  return (
    <AsyncCard
      title={props.title}
      testId={`home-visits-${kind}`}
      state={state}
      isEmpty={visits => visits.length === 0}
      empty={t('home.visits.empty')}
    >
      {visits => (
        <List dense disablePadding>
          {visits.map(visit => (
            <ListItem key={visit.id} disableGutters>
              <Chip
                size="small"
                label={getLabel(visit)}
                // White on the kind's colour, as upstream's chip.
                style={{
                  backgroundColor: getChipColor(visit),
                  color: '#fff',
                  fontWeight: 'bold',
                  marginRight: 8,
                }}
              />
              <ListItemText
                primary={<Link to={visit.pathname}>{visit.name}</Link>}
                secondary={
                  kind === 'recent'
                    ? format.relativeTime(visit.timestamp)
                    : t('home.visits.hits', { hits: String(visit.hits) })
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </AsyncCard>
  );
}

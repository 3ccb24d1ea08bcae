import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { portalTranslationRef } from '../../translations';

const destinations = [
  {
    title: 'home.cards.catalogTitle',
    body: 'home.cards.catalogBody',
    to: '/catalog',
  },
  {
    title: 'home.cards.createTitle',
    body: 'home.cards.createBody',
    to: '/create',
  },
  { title: 'home.cards.docsTitle', body: 'home.cards.docsBody', to: '/docs' },
] as const;

/** The home page's welcome: what the portal is for and where to start. */
export function WelcomeWidget() {
  const { t } = useTranslationRef(portalTranslationRef);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Typography variant="h4" component="h1">
          {t('home.title')}
        </Typography>
        <Typography variant="subtitle1">{t('home.subtitle')}</Typography>
      </Grid>
      {destinations.map(d => (
        <Grid item xs={12} md={4} key={d.to}>
          <Card variant="outlined">
            <CardContent>
              <Typography variant="h6">{t(d.title)}</Typography>
              <Typography variant="body2">{t(d.body)}</Typography>
            </CardContent>
            <CardActions>
              <Link to={d.to}>{t('home.cards.open')}</Link>
            </CardActions>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}

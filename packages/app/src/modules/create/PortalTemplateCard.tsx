import { useCallback, useId } from 'react';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  ItemCardHeader,
  Link,
  MarkdownContent,
  UserIcon,
} from '@backstage/core-components';
import {
  RouterLink,
  coreApis,
  useAnalytics,
  useApi,
  useRouteRef,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityRefLinks,
  FavoriteEntity,
  entityRouteParams,
  entityRouteRef,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  TemplateCardComponentProps,
  scaffolderReactTranslationRef,
} from '@backstage/plugin-scaffolder-react/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import DescriptionIcon from '@material-ui/icons/Description';
import LanguageIcon from '@material-ui/icons/Language';
import { portalTranslationRef } from '../../translations/portalTranslationRef';

const useStyles = makeStyles(theme => ({
  header: {
    backgroundImage: ({ backgroundImage }: HeaderColours) => backgroundImage,
    color: ({ fontColor }: HeaderColours) => fontColor,
  },
  subtitle: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
  },
  headerActions: { display: 'flex', alignItems: 'center', gap: 6 },
  detailLink: {
    display: 'flex',
    alignItems: 'center',
    color: ({ fontColor }: HeaderColours) => fontColor,
    borderRadius: 4,
    '&:focus-visible': { outline: '2px solid currentColor', outlineOffset: 2 },
  },
  description: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    display: '-webkit-box',
    '-webkit-line-clamp': 10,
    '-webkit-box-orient': 'vertical',
  },
  markdown: { '& :first-child': { margin: 0 } },
  cardLink: { display: 'inline-flex', alignItems: 'center', gap: 8 },
  actions: { padding: 16, flex: 1, alignItems: 'flex-end' },
  footer: {
    display: 'flex',
    justifyContent: 'space-between',
    flex: 1,
    alignItems: 'center',
  },
  ownedBy: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    flex: 1,
    color: (theme.palette as { link?: string }).link,
  },
}));

interface HeaderColours {
  fontColor: string;
  backgroundImage: string;
}

function CardLink(props: {
  icon: JSX.Element;
  text: string;
  url: string;
  className: string;
}) {
  return (
    <div className={props.className}>
      <span aria-hidden="true">{props.icon}</span>
      <Link to={props.url}>{props.text}</Link>
    </div>
  );
}

/**
 * The card of one template in the create page's list: what
 * scaffolder-react's TemplateCard shows (title, type, description, tags,
 * links, owner, the choose button for those who may create tasks), with
 * a detail link that is a link with a name. Upstream's wraps an icon-only
 * link in an icon button (axe: link-name, nested-interactive).
 */
export function PortalTemplateCard(props: TemplateCardComponentProps) {
  const { template, additionalLinks, onSelected } = props;
  const { t } = useTranslationRef(scaffolderReactTranslationRef);
  const { t: portal } = useTranslationRef(portalTranslationRef);
  const analytics = useAnalytics();
  const icons = useApi(coreApis.icons);
  const entityRoute = useRouteRef(entityRouteRef);
  const { getPageTheme } = useTheme();
  const pageTheme = getPageTheme({ themeId: template.spec.type });
  const classes = useStyles({
    fontColor: pageTheme.fontColor,
    backgroundImage: pageTheme.backgroundImage,
  });
  const { allowed: canCreateTask } = usePermission({
    permission: taskCreatePermission,
  });
  const titleId = useId();

  const title = template.metadata.title ?? template.metadata.name;
  const ownedBy = getEntityRelations(template, RELATION_OWNED_BY);
  const tags = template.metadata.tags ?? [];
  const links = template.metadata.links ?? [];
  const hasLinks = !!additionalLinks?.length || links.length > 0;
  const detailName = portal('templateCard.details', { title });
  const entityHref = entityRoute?.(entityRouteParams(template));

  const handleChoose = useCallback(() => {
    analytics.captureEvent('click', 'Template has been opened');
    onSelected?.();
  }, [analytics, onSelected]);

  return (
    <Card component="article" aria-labelledby={titleId}>
      <ItemCardHeader
        title={<span id={titleId}>{title}</span>}
        classes={{ root: classes.header }}
        subtitle={
          <div className={classes.subtitle}>
            <div>{template.spec.type}</div>
            <div className={classes.headerActions}>
              {entityHref && (
                <RouterLink
                  href={entityHref}
                  aria-label={detailName}
                  title={t('cardHeader.detailBtnTitle')}
                  className={classes.detailLink}
                >
                  <span aria-hidden="true">
                    {icons.icon('kind:template') ?? <DescriptionIcon />}
                  </span>
                </RouterLink>
              )}
              <FavoriteEntity entity={template} style={{ padding: 0 }} />
            </div>
          </div>
        }
      />
      <CardContent>
        <Grid container spacing={2} data-testid="template-card-content">
          <Grid item xs={12}>
            <Box className={classes.description}>
              <MarkdownContent
                className={classes.markdown}
                content={
                  template.metadata.description ??
                  t('templateCard.noDescription')
                }
              />
            </Box>
          </Grid>
          {tags.length === 0 && !hasLinks && (
            <Grid item xs={12}>
              <Divider data-testid="template-card-separator" />
            </Grid>
          )}
          {tags.length > 0 && (
            <>
              <Grid item xs={12}>
                <Divider />
              </Grid>
              <Grid item xs={12}>
                <Grid container spacing={2} data-testid="template-card-tags">
                  {tags.map(tag => (
                    <Grid item key={tag}>
                      <Chip size="small" label={tag} style={{ margin: 0 }} />
                    </Grid>
                  ))}
                </Grid>
              </Grid>
            </>
          )}
          {hasLinks && (
            <>
              <Grid item xs={12}>
                <Divider />
              </Grid>
              <Grid item xs={12}>
                <Grid container spacing={2} data-testid="template-card-links">
                  {additionalLinks?.map(({ icon: Icon, text, url }) => (
                    <Grid item xs={6} key={`additional-${url}`}>
                      <CardLink
                        className={classes.cardLink}
                        icon={<Icon fontSize="small" />}
                        text={text || url}
                        url={url}
                      />
                    </Grid>
                  ))}
                  {links.map(({ url, icon, title: linkTitle }) => (
                    <Grid item xs={6} key={`metadata-${url}`}>
                      <CardLink
                        className={classes.cardLink}
                        icon={
                          (icon ? icons.icon(icon) : undefined) ?? (
                            <LanguageIcon fontSize="small" />
                          )
                        }
                        text={linkTitle || url}
                        url={url}
                      />
                    </Grid>
                  ))}
                </Grid>
              </Grid>
            </>
          )}
        </Grid>
      </CardContent>
      <CardActions className={classes.actions}>
        <div className={classes.footer}>
          <div className={classes.ownedBy}>
            {ownedBy.length > 0 && (
              <>
                <UserIcon fontSize="small" aria-hidden="true" />
                <EntityRefLinks
                  entityRefs={ownedBy}
                  defaultKind="Group"
                  hideIcons
                />
              </>
            )}
          </div>
          {canCreateTask && (
            <Button
              size="small"
              variant="outlined"
              color="primary"
              data-testid="template-card-actions--create"
              onClick={handleChoose}
              aria-describedby={titleId}
            >
              {t('templateCard.chooseButtonText')}
            </Button>
          )}
        </div>
      </CardActions>
    </Card>
  );
}

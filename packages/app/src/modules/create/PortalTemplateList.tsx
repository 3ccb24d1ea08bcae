import { ReactElement, useCallback, useMemo } from 'react';
import { Route, Routes, useNavigate } from 'react-router-dom';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  Content,
  ContentHeader,
  DocsIcon,
  LinkButton,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef, useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogEntityCreatePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  CatalogFilterLayout,
  EntityKindPicker,
  EntityListProvider,
  EntityOwnerPicker,
  EntityTagPicker,
  UserListPicker,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { scaffolderTranslationRef } from '@backstage/plugin-scaffolder';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { TemplateEntityV1beta3 } from '@backstage/plugin-scaffolder-common';
import {
  ScaffolderTemplateFilterHook,
  TemplateCategoryPicker,
  TemplateGroups,
} from '@backstage/plugin-scaffolder-react/alpha';
import {
  TECHDOCS_ANNOTATION,
  TECHDOCS_EXTERNAL_ANNOTATION,
} from '@backstage/plugin-techdocs-common';
import { buildTechDocsURL } from '@backstage/plugin-techdocs-react';
import { EntitySearchField } from '../../components/EntitySearchField';

const allTemplates = () => true;
function useAllTemplates() {
  return allTemplates;
}

/** Props of {@link PortalTemplateList}, from the sub-page's config and inputs. */
export interface PortalTemplateListProps {
  /** Groups by config; templates in none go to an "other" group. */
  groups?: Array<{ title: string; filter: (entity: Entity) => boolean }>;
  /** Which templates to list at all, by config. */
  templateFilter?: (entity: Entity) => boolean;
  /** The viewer's template filter, from a ScaffolderTemplateFilterBlueprint. */
  useTemplateFilter?: ScaffolderTemplateFilterHook;
}

function RegisterExistingButton(props: { title: string; to?: string }) {
  const { allowed } = usePermission({
    permission: catalogEntityCreatePermission,
  });
  if (!props.to || !allowed) {
    return null;
  }
  return (
    <LinkButton variant="outlined" color="primary" to={props.to}>
      {props.title}
    </LinkButton>
  );
}

/**
 * The create page's template list: what the scaffolder's
 * `TemplateListContent` shows (register and support buttons, the filters,
 * the templates in one group, a TechDocs link for documented templates),
 * with the portal's search field. Upstream's `EntitySearchBar` names its
 * clear button "clear search" in English whatever the language.
 */
export function PortalTemplateList(props: PortalTemplateListProps) {
  const {
    groups: configuredGroups,
    templateFilter,
    useTemplateFilter = useAllTemplates,
  } = props;
  const { t } = useTranslationRef(scaffolderTranslationRef);
  const registerComponentLink = useRouteRef(
    scaffolderPlugin.externalRoutes.registerComponent,
  );
  const viewTechDocsLink = useRouteRef(
    scaffolderPlugin.externalRoutes.viewTechDoc,
  );
  const templateRoute = useRouteRef(scaffolderPlugin.routes.selectedTemplate);
  const navigate = useNavigate();
  const viewerTemplateFilter = useTemplateFilter();
  const combinedTemplateFilter = useCallback(
    (template: TemplateEntityV1beta3) =>
      (templateFilter?.(template) ?? true) && viewerTemplateFilter(template),
    [templateFilter, viewerTemplateFilter],
  );

  const groups = useMemo(() => {
    if (!configuredGroups?.length) {
      return [
        {
          title: t('templateListPage.templateGroups.defaultTitle'),
          filter: allTemplates,
        },
      ];
    }
    return [
      ...configuredGroups,
      {
        title: t('templateListPage.templateGroups.otherTitle'),
        filter: (entity: Entity) =>
          !configuredGroups.some(({ filter }) => filter(entity)),
      },
    ];
  }, [configuredGroups, t]);

  const additionalLinksForEntity = useCallback(
    (template: Entity) => {
      const annotations = template.metadata.annotations ?? {};
      const documented =
        annotations[TECHDOCS_ANNOTATION] ||
        annotations[TECHDOCS_EXTERNAL_ANNOTATION];
      const url =
        documented && viewTechDocsLink
          ? buildTechDocsURL(template, viewTechDocsLink)
          : undefined;
      return url
        ? [
            {
              icon: DocsIcon,
              text: t(
                'templateListPage.additionalLinksForEntity.viewTechDocsTitle',
              ),
              url,
            },
          ]
        : [];
    },
    [viewTechDocsLink, t],
  );

  const onTemplateSelected = useCallback(
    (template: TemplateEntityV1beta3) => {
      if (!templateRoute) return;
      const { namespace, name } = parseEntityRef(stringifyEntityRef(template));
      navigate(templateRoute({ namespace, templateName: name }));
    },
    [navigate, templateRoute],
  );

  return (
    <EntityListProvider>
      <Content>
        <ContentHeader>
          <RegisterExistingButton
            title={t(
              'templateListPage.contentHeader.registerExistingButtonTitle',
            )}
            to={registerComponentLink?.()}
          />
          <SupportButton>
            {t('templateListPage.contentHeader.supportButtonTitle')}
          </SupportButton>
        </ContentHeader>
        <CatalogFilterLayout>
          <CatalogFilterLayout.Filters>
            <EntitySearchField />
            <EntityKindPicker initialFilter="template" hidden />
            <UserListPicker
              initialFilter="all"
              availableFilters={['all', 'starred']}
            />
            <TemplateCategoryPicker />
            <EntityTagPicker />
            <EntityOwnerPicker />
          </CatalogFilterLayout.Filters>
          <CatalogFilterLayout.Content>
            <TemplateGroups
              groups={groups}
              templateFilter={combinedTemplateFilter}
              onTemplateSelected={onTemplateSelected}
              additionalLinksForEntity={additionalLinksForEntity}
            />
          </CatalogFilterLayout.Content>
        </CatalogFilterLayout>
      </Content>
    </EntityListProvider>
  );
}

/**
 * The templates sub-page: the portal's list at its index, and everything
 * below it (the wizard at `:namespace/:templateName`) served by the
 * scaffolder's own sub-page element.
 */
export function PortalTemplatesSubPage(
  props: PortalTemplateListProps & { original: ReactElement },
) {
  return (
    <Routes>
      <Route
        index
        element={
          <PortalTemplateList
            groups={props.groups}
            templateFilter={props.templateFilter}
            useTemplateFilter={props.useTemplateFilter}
          />
        }
      />
      <Route path="*" element={props.original} />
    </Routes>
  );
}

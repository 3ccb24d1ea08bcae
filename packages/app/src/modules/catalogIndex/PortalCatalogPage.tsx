import { ReactNode } from 'react';
import { SupportButton } from '@backstage/core-components';
import {
  configApiRef,
  useApi,
  useRouteRef,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { catalogTranslationRef } from '@backstage/plugin-catalog';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogEntityCreatePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  CatalogFilterLayout,
  EntityListPagination,
  EntityListProvider,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { ButtonLink, Container, Header } from '@backstage/ui';
import AddIcon from '@material-ui/icons/Add';
import { portalTranslationRef } from '../../translations/portalTranslationRef';
import { PortalCatalogTable } from './PortalCatalogTable';

const listKeys = ['owned', 'starred', 'all'] as const;
const kindKeys = [
  'component',
  'api',
  'system',
  'domain',
  'resource',
  'group',
  'user',
  'template',
  'location',
] as const;

/**
 * The table's title in the portal's language: which list (mine, starred,
 * all), the type as the catalog writes it, the kind, and the count.
 * CatalogTable builds its own from the filters' English values ("All
 * Components"); given a title it shows that one instead.
 */
export function useCatalogTableTitle(): string {
  const { t } = useTranslationRef(portalTranslationRef);
  const { filters, entities, totalItems, loading, totalItemsLoading } =
    useEntityList();
  const list = listKeys.find(k => k === filters.user?.value) ?? 'all';
  const kindValue = (
    filters.kind?.value ??
    entities[0]?.kind ??
    ''
  ).toLocaleLowerCase('en-US');
  const kindKey = kindKeys.find(k => k === kindValue);
  const kind = kindKey
    ? t(`catalogTable.kinds.${kindKey}`)
    : filters.kind?.label ?? kindValue;
  // One type or several, as the type picker set them.
  const type = [filters.type?.value ?? []].flat().join(', ');
  const title = type
    ? t(`catalogTable.title.${list}WithType`, { type, kind })
    : t(`catalogTable.title.${list}`, { kind });
  const counted =
    typeof totalItems === 'number' && !loading && !totalItemsLoading;
  return counted
    ? t('catalogTable.counted', { title, total: String(totalItems) })
    : title;
}

function TitledCatalogTable() {
  const title = useCatalogTableTitle();
  return (
    <PortalCatalogTable
      title={title}
      // Draggable columns put material-table's drag handle inside the sort
      // button of each header (axe: nested-interactive).
      tableOptions={{ draggable: false }}
    />
  );
}

/** Props of {@link PortalCatalogPage}, from the catalog page's inputs and config. */
export interface PortalCatalogPageProps {
  filters: ReactNode;
  pagination?: EntityListPagination;
}

/**
 * The catalog's index page: the page upstream's catalog plugin renders (its
 * header, create and support buttons, the filters attached to it), with the
 * portal's catalog table: titled, paged and searched in the portal's
 * language, without draggable columns.
 * The export button is left out: the portal does not enable
 * `exportSettings`.
 */
export function PortalCatalogPage(props: PortalCatalogPageProps) {
  const { t } = useTranslationRef(catalogTranslationRef);
  const orgName =
    useApi(configApiRef).getOptionalString('organization.name') ?? 'Backstage';
  const createComponentLink = useRouteRef(
    catalogPlugin.externalRoutes.createComponent,
  );
  const { allowed } = usePermission({
    permission: catalogEntityCreatePermission,
  });
  const createHref = createComponentLink?.();
  return (
    <EntityListProvider pagination={props.pagination}>
      <Header
        title={t('indexPage.title', { orgName })}
        customActions={
          <>
            {allowed && createHref && (
              <ButtonLink
                variant="primary"
                href={createHref}
                iconStart={<AddIcon fontSize="small" />}
              >
                {t('indexPage.createButtonTitle')}
              </ButtonLink>
            )}
            <SupportButton>{t('indexPage.supportButtonContent')}</SupportButton>
          </>
        }
      />
      <Container>
        <CatalogFilterLayout>
          <CatalogFilterLayout.Filters>
            {props.filters}
          </CatalogFilterLayout.Filters>
          <CatalogFilterLayout.Content>
            <TitledCatalogTable />
          </CatalogFilterLayout.Content>
        </CatalogFilterLayout>
      </Container>
    </EntityListProvider>
  );
}

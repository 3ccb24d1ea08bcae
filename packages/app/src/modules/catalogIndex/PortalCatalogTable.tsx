import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_VIEW_URL,
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  FavoriteToggleIcon,
  TableOptions,
  TableProps,
  WarningPanel,
  CodeSnippet,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  CatalogTable,
  CatalogTableRow,
  catalogTranslationRef,
} from '@backstage/plugin-catalog';
import {
  EntityPresentationApi,
  entityPresentationApiRef,
  entityPresentationSnapshot,
  getEntityRelations,
  useEntityList,
  useStarredEntities,
} from '@backstage/plugin-catalog-react';
import { PortalTable } from '@internal/plugin-portal-react';
import Box from '@material-ui/core/Box';
import Toolbar from '@material-ui/core/Toolbar';
import Edit from '@material-ui/icons/Edit';
import OpenInNew from '@material-ui/icons/OpenInNew';
import { EntitySearchField } from '../../components/EntitySearchField';

type Actions = NonNullable<TableProps<CatalogTableRow>['actions']>;

/** Read by screen readers, not shown: an icon button's name. */
const visuallyHidden: React.CSSProperties = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: 1,
  margin: -1,
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: 1,
};

/** What a row shows: the entity and its names as the catalog presents them. */
function toRow(entity: Entity, api?: EntityPresentationApi): CatalogTableRow {
  const title = (
    e: Parameters<typeof entityPresentationSnapshot>[0],
    kind: string,
  ) => entityPresentationSnapshot(e, { defaultKind: kind }, api).primaryTitle;
  const ownedBy = getEntityRelations(entity, RELATION_OWNED_BY);
  const partOf = getEntityRelations(entity, RELATION_PART_OF, {
    kind: 'system',
  });
  return {
    entity,
    resolved: {
      name: title(entity, 'Component'),
      entityRef: stringifyEntityRef(entity),
      ownedByRelationsTitle: ownedBy.map(r => title(r, 'group')).join(', '),
      ownedByRelations: ownedBy,
      partOfSystemRelationTitle: partOf.map(r => title(r, 'system')).join(', '),
      partOfSystemRelations: partOf,
    },
  };
}

/** View and edit in the entity's source, and star, as the catalog offers them. */
function useActions(): Actions {
  const { t } = useTranslationRef(catalogTranslationRef);
  const { isStarredEntity, toggleStarredEntity } = useStarredEntities();
  const open = (url?: string) => url && window.open(url, '_blank');
  const link =
    (annotation: string, title: string, Icon: typeof Edit) =>
    ({ entity }: CatalogTableRow) => {
      const url = entity.metadata.annotations?.[annotation];
      return {
        icon: () => (
          <>
            <span style={visuallyHidden}>{title}</span>
            <Icon fontSize="small" />
          </>
        ),
        tooltip: title,
        disabled: !url,
        onClick: () => open(url),
      };
    };
  return [
    link(ANNOTATION_VIEW_URL, t('catalogTable.viewActionTitle'), OpenInNew),
    link(ANNOTATION_EDIT_URL, t('catalogTable.editActionTitle'), Edit),
    ({ entity }: CatalogTableRow) => {
      const starred = isStarredEntity(entity);
      return {
        cellStyle: { paddingLeft: '1em' },
        icon: () => <FavoriteToggleIcon isFavorite={starred} />,
        tooltip: starred
          ? t('catalogTable.unStarActionTitle')
          : t('catalogTable.starActionTitle'),
        onClick: () => toggleStarredEntity(entity),
      };
    },
  ];
}

/** The table's title, and the list's text filter in the portal's language. */
function CatalogToolbar(props: { title?: React.ReactNode }) {
  return (
    <Toolbar style={{ paddingLeft: 20, display: 'flex' }}>
      <Box flex={1} overflow="hidden">
        {props.title}
      </Box>
      <EntitySearchField />
    </Toolbar>
  );
}

/**
 * The catalog's index table: upstream's `CatalogTable` (its columns, row
 * actions and the three paging modes of the entity list) on the portal's
 * table, so the paging buttons and the search field speak the portal's
 * language. CatalogTable renders its own toolbar and table, which write
 * "clear search", "Previous Page" and "Next Page" as English literals and
 * take no labels for them.
 */
export function PortalCatalogTable(props: {
  title: string;
  tableOptions?: TableOptions<CatalogTableRow>;
}) {
  const list = useEntityList();
  const { loading, error, entities, pageInfo, paginationMode } = list;
  const { limit, offset, totalItems, setLimit, setOffset } = list;
  const presentation = useApi(entityPresentationApiRef);
  const actions = useActions();
  const { t } = useTranslationRef(catalogTranslationRef);
  const columns = useMemo(() => CatalogTable.defaultColumnsFunc(list), [list]);
  const [page, setPage] = useState(
    offset && limit ? Math.floor(offset / limit) : 0,
  );
  useEffect(() => {
    if (paginationMode !== 'offset') return;
    const last = totalItems ? Math.max(0, totalItems - limit) : undefined;
    setOffset?.(
      last !== undefined && page * limit >= (totalItems ?? 0)
        ? last
        : page * limit,
    );
  }, [paginationMode, setOffset, page, limit, totalItems]);

  const hadData = useRef(false);
  if (entities.length > 0) hadData.current = true;
  const isLoading = loading && !hadData.current;

  const rows = useMemo(() => {
    const sorted =
      paginationMode === 'none'
        ? [...entities].sort((a, b) =>
            toRow(a, presentation).resolved.name.localeCompare(
              toRow(b, presentation).resolved.name,
            ),
          )
        : entities;
    return sorted.map(e => toRow(e, presentation));
  }, [entities, paginationMode, presentation]);

  if (error) {
    return (
      <WarningPanel
        severity="error"
        title={t('catalogTable.warningPanelTitle')}
      >
        <CodeSnippet language="text" text={error.toString()} />
      </WarningPanel>
    );
  }

  const common = {
    title: props.title,
    columns,
    actions,
    isLoading,
    data: rows,
    components: { Toolbar: CatalogToolbar },
  };
  const options: TableOptions<CatalogTableRow> = {
    actionsColumnIndex: -1,
    loadingType: 'linear',
    showEmptyDataSourceMessage: !isLoading,
    padding: 'dense',
    search: false,
    ...props.tableOptions,
  };

  if (paginationMode === 'cursor') {
    const { next, prev } = pageInfo ?? {};
    return (
      <PortalTable<CatalogTableRow>
        {...common}
        options={{
          ...options,
          // The server pages: one page of everything the cursor returned.
          pageSizeOptions: [],
          showFirstLastPageButtons: false,
          pageSize: Number.MAX_SAFE_INTEGER,
          emptyRowsWhenPaging: false,
        }}
        page={prev ? 1 : 0}
        totalCount={next ? Number.MAX_VALUE : Number.MAX_SAFE_INTEGER}
        onPageChange={to => (to > 0 ? next?.() : prev?.())}
        localization={{ pagination: { labelDisplayedRows: '' } }}
      />
    );
  }
  if (paginationMode === 'offset') {
    return (
      <PortalTable<CatalogTableRow>
        {...common}
        options={{
          pageSizeOptions: [5, 10, 20, 50, 100],
          pageSize: limit,
          emptyRowsWhenPaging: false,
          ...options,
        }}
        page={page}
        totalCount={totalItems}
        onPageChange={setPage}
        onRowsPerPageChange={setLimit}
      />
    );
  }
  const pageSize = 20;
  return (
    <PortalTable<CatalogTableRow>
      {...common}
      options={{
        paging: rows.length > pageSize,
        pageSize,
        pageSizeOptions: [20, 50, 100],
        ...options,
      }}
    />
  );
}

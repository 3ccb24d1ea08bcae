import { TableColumn, TableFilter } from '@backstage/core-components';
import { PortalTable } from '@internal/plugin-portal-react';
import Typography from '@material-ui/core/Typography';

const pageSize = 10;

/**
 * Backstage's table (the portal's, in its language) with the curation
 * page's defaults: sorting on every column, the search box, paging past ten
 * rows, optional select filters by column title, and a sentence instead of
 * an empty table.
 */
export function CurationTable<T extends object>(props: {
  title: string;
  columns: TableColumn<T>[];
  data: T[];
  empty: string;
  filters?: TableFilter[];
  testId: string;
}) {
  return (
    <div data-testid={props.testId}>
      <PortalTable<T>
        title={props.title}
        columns={props.columns}
        data={props.data}
        filters={props.data.length > 0 ? props.filters : undefined}
        options={{
          search: props.data.length > 0,
          sorting: true,
          paging: props.data.length > pageSize,
          pageSize,
          pageSizeOptions: [10, 25, 50],
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
        emptyContent={
          <Typography
            variant="body2"
            color="textSecondary"
            style={{ padding: 16 }}
          >
            {props.empty}
          </Typography>
        }
      />
    </div>
  );
}

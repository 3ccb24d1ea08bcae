import { useMemo, useState } from 'react';
import {
  Table,
  TableColumn,
  TableFilter,
  TableProps,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useTheme } from '@material-ui/core/styles';
import { portalReactTranslationRef } from '../translations/portalReactTranslationRef';
import { useTableLocalization } from './useTableLocalization';

/**
 * Props of {@link PortalTable}: core-components' Table's, whose `filters`
 * (a column's title and whether one or several of its values are picked)
 * become the portal's filter fields.
 *
 * @public
 */
export type PortalTableProps<T extends object> = TableProps<T>;

type Selection = Record<string, string[]>;

/** A row's value in a column, by the column's `field` path ("a.b"). */
function valueOf(row: object, field: PropertyKey | undefined): unknown {
  if (field === undefined) return undefined;
  let value: unknown = row;
  for (const part of String(field).split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A row's values in a column as strings: one, several, or none. */
function valuesOf(row: object, field: PropertyKey | undefined): string[] {
  const value = valueOf(row, field);
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * The rows whose value in every filtered column is one of the picked ones;
 * a column with nothing picked keeps every row.
 */
export function filterRows<T extends object>(
  rows: T[],
  columns: TableColumn<T>[],
  selection: Selection,
): T[] {
  const picked = Object.entries(selection).filter(([, v]) => v.length > 0);
  if (picked.length === 0) return rows;
  const fields = new Map(columns.map(c => [String(c.title), c.field]));
  return rows.filter(row =>
    picked.every(([title, values]) =>
      valuesOf(row, fields.get(title)).some(v => values.includes(v)),
    ),
  );
}

/** The values a filtered column holds in the rows, sorted as the language sorts them. */
function optionsOf<T extends object>(
  rows: T[],
  column: TableColumn<T> | undefined,
): string[] {
  const values = new Set(rows.flatMap(row => valuesOf(row, column?.field)));
  return [...values].sort((a, b) => a.localeCompare(b));
}

function FilterField<T extends object>(props: {
  filter: TableFilter;
  rows: T[];
  column: TableColumn<T> | undefined;
  value: string[];
  onChange: (value: string[]) => void;
}) {
  const { t } = useTranslationRef(portalReactTranslationRef);
  const theme = useTheme();
  const { filter, value, onChange } = props;
  const multiple = filter.type === 'multiple-select';
  const options = optionsOf(props.rows, props.column);
  const id = `portal-table-filter-${filter.column}`.replace(/\s+/g, '-');
  return (
    <TextField
      id={id}
      select
      size="small"
      variant="outlined"
      label={filter.column}
      // The label sits on the page's background, where the theme's
      // secondary text is short of WCAG's 4.5:1 (axe: color-contrast).
      InputLabelProps={{
        shrink: true,
        style: { color: theme.palette.text.primary },
      }}
      style={{ minWidth: 180 }}
      value={multiple ? value : value[0] ?? ''}
      onChange={event => {
        const picked = event.target.value as unknown as string | string[];
        onChange([picked].flat().filter(v => v !== ''));
      }}
      SelectProps={{
        multiple,
        displayEmpty: true,
        renderValue: selected => {
          const list = [selected as string | string[]].flat().filter(Boolean);
          return list.length ? list.join(', ') : t('table.filterAll');
        },
      }}
    >
      {!multiple && <MenuItem value="">{t('table.filterAll')}</MenuItem>}
      {options.map(option => (
        <MenuItem key={option} value={option}>
          {option}
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * core-components' Table in the portal's language: the labels that
 * material-table writes itself (search, paging) are translated, and the
 * `filters` are fields above the table, labelled with their column's title
 * and always in view. core-components' own filter panel opens from an
 * icon button named "filter list", an English literal no translation ref
 * reaches.
 *
 * Filtering needs the rows (`data` as an array); with remote data the
 * filters are left out.
 *
 * @public
 */
export function PortalTable<T extends object>(props: PortalTableProps<T>) {
  const { filters, data, columns, localization, ...rest } = props;
  const translated = useTableLocalization(localization);
  const [selection, setSelection] = useState<Selection>({});
  const rows = Array.isArray(data) ? data : undefined;
  const shown = useMemo(
    () => (rows ? filterRows(rows, columns, selection) : data),
    [rows, data, columns, selection],
  );
  const fields = rows && rows.length > 0 ? filters ?? [] : [];
  return (
    <>
      {fields.length > 0 && (
        <Box display="flex" flexWrap="wrap" gridGap={16} mb={2}>
          {fields.map(filter => (
            <FilterField
              key={filter.column}
              filter={filter}
              rows={rows ?? []}
              column={columns.find(c => c.title === filter.column)}
              value={selection[filter.column] ?? []}
              onChange={value =>
                setSelection(s => ({ ...s, [filter.column]: value }))
              }
            />
          ))}
        </Box>
      )}
      <Table<T>
        {...rest}
        columns={columns}
        data={shown}
        localization={translated}
      />
    </>
  );
}

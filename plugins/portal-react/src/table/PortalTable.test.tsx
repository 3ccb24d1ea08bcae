import { renderInTestApp } from '@backstage/frontend-test-utils';
import { TableColumn } from '@backstage/core-components';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { PortalTable, filterRows } from './PortalTable';

const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

interface Row {
  name: string;
  cluster: string;
  tags: string[];
}

const columns: TableColumn<Row>[] = [
  { title: 'Name', field: 'name' },
  { title: 'Cluster', field: 'cluster' },
  { title: 'Tags', field: 'tags' },
];

const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({
  name: `job-${String(i).padStart(2, '0')}`,
  cluster: i % 3 === 0 ? 'lab-edge' : 'lab-main',
  tags: i % 2 === 0 ? ['gpu', 'train'] : ['cpu'],
}));

describe('filterRows', () => {
  it('keeps every row while nothing is picked', () => {
    expect(filterRows(rows, columns, {})).toHaveLength(12);
    expect(filterRows(rows, columns, { Cluster: [] })).toHaveLength(12);
  });

  it('keeps the rows whose value is one of the picked ones, in every filtered column', () => {
    const edge = filterRows(rows, columns, { Cluster: ['lab-edge'] });
    expect(edge.map(r => r.name)).toEqual([
      'job-00',
      'job-03',
      'job-06',
      'job-09',
    ]);
    const edgeGpu = filterRows(rows, columns, {
      Cluster: ['lab-edge'],
      Tags: ['gpu'],
    });
    expect(edgeGpu.map(r => r.name)).toEqual(['job-00', 'job-06']);
  });

  it('matches array values by any element and nested fields by their path', () => {
    const nested = [{ a: { b: 'x' } }, { a: { b: 'y' } }, { a: {} }];
    const cols: TableColumn<(typeof nested)[number]>[] = [
      { title: 'B', field: 'a.b' },
    ];
    expect(filterRows(nested, cols, { B: ['y'] })).toEqual([{ a: { b: 'y' } }]);
    expect(filterRows(rows, columns, { Tags: ['cpu', 'train'] })).toHaveLength(
      12,
    );
  });
});

describe('PortalTable', () => {
  it('filters by a labelled field instead of the "filter list" button, and names the paging buttons', async () => {
    await act(async () => {
      renderInTestApp(
        <PortalTable<Row>
          title="Jobs"
          columns={columns}
          data={rows}
          options={{ paging: true, pageSize: 5, search: true }}
          filters={[{ column: 'Cluster', type: 'select' }]}
        />,
      );
    });
    expect(await screen.findByText('job-00', {}, WAIT)).toBeInTheDocument();
    expect(screen.queryByLabelText('filter list')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next Page' })).toBeEnabled();
    expect(screen.getByRole('textbox', { name: 'Search' })).toBeInTheDocument();

    // The field is named by its column and shows "All" until a value is
    // picked (the column's sort button is named "Cluster" alone).
    const field = screen.getByRole('button', { name: 'Cluster All' });
    fireEvent.mouseDown(field);
    const options = within(await screen.findByRole('listbox', {}, WAIT));
    expect(options.getAllByRole('option').map(o => o.textContent)).toEqual([
      'All',
      'lab-edge',
      'lab-main',
    ]);
    fireEvent.click(options.getByRole('option', { name: 'lab-edge' }));

    expect(await screen.findByText('job-09', {}, WAIT)).toBeInTheDocument();
    expect(screen.queryByText('job-01')).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Cluster lab-edge' }),
    ).toBeInTheDocument();
  });

  it('shows no filter field while there are no rows', async () => {
    await act(async () => {
      renderInTestApp(
        <PortalTable<Row>
          title="Jobs"
          columns={columns}
          data={[]}
          filters={[{ column: 'Cluster', type: 'select' }]}
        />,
      );
    });
    expect(await screen.findByText('Jobs', {}, WAIT)).toBeInTheDocument();
    expect(screen.getByText('Cluster')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cluster All' }),
    ).not.toBeInTheDocument();
  });
});

import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  CurationReport,
  TeamCountsHistory,
} from '@internal/plugin-catalog-curation-common';
import {
  catalogCurationApiRef,
  CatalogCurationApi,
} from '../api/CatalogCurationClient';
import { CurationReportView } from './CurationPage';

function problem(
  i: number,
  team: string,
  rule: 'system-required' | 'lifecycle-known',
) {
  const name = `svc-${String(i).padStart(2, '0')}`;
  return {
    entityRef: `component:default/${name}`,
    title: name,
    team,
    rule,
    message: `spec.system is missing on ${name}`,
  };
}

const report: CurationReport = {
  generatedAt: '2026-11-30T12:00:00Z',
  entityCount: 40,
  entitiesPerTeam: {
    'group:default/ml-team': 20,
    'group:default/payments-team': 20,
  },
  problems: [
    ...Array.from({ length: 8 }, (_, i) =>
      problem(i, 'group:default/ml-team', 'system-required'),
    ),
    ...Array.from({ length: 4 }, (_, i) =>
      problem(20 + i, 'group:default/payments-team', 'lifecycle-known'),
    ),
  ],
  orphans: [],
  failed: [],
  duplicates: [],
};

const history: TeamCountsHistory = {
  snapshots: [
    {
      day: '2026-11-29',
      team: 'group:default/ml-team',
      entities: 20,
      problems: 8,
      orphans: 0,
    },
  ],
};

async function render() {
  const api: CatalogCurationApi = {
    getReport: jest.fn(async () => report),
    getHistory: jest.fn(async () => history),
    getQuality: jest.fn(),
    unregisterOrphan: jest.fn(),
  };
  await renderInTestApp(
    <TestApiProvider apis={[[catalogCurationApiRef, api]]}>
      <CurationReportView />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

function problemRows() {
  const table = screen.getByTestId('curation-problems');
  return within(table)
    .getAllByRole('row')
    .filter(row => row.hasAttribute('index'));
}

// Material table renders slowly in jsdom on a loaded machine.
jest.setTimeout(30_000);

describe('CurationReportView', () => {
  it('pages the problems ten at a time, sorted by rule, in the rule explanation', async () => {
    const api = await render();
    expect(await screen.findByTestId('curation-problems')).toBeInTheDocument();
    expect(api.getHistory).toHaveBeenCalledWith(30);
    expect(problemRows()).toHaveLength(10);
    expect(screen.getAllByText('1-10 of 12').length).toBeGreaterThan(0);
    // Sorted by the rule's title: "No system" before "Unknown lifecycle".
    expect(within(problemRows()[0]).getByText('No system')).toBeInTheDocument();
    expect(
      within(problemRows()[0]).getByText(
        'spec.system must name the System this belongs to.',
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(problemRows()).toHaveLength(2);
    expect(
      within(problemRows()[1]).getByText('Unknown lifecycle'),
    ).toBeInTheDocument();
  });

  it('filters the problems with the search box', async () => {
    await render();
    const table = await screen.findByTestId('curation-problems');
    const search = within(table).getByPlaceholderText('Search');
    fireEvent.change(search, { target: { value: 'svc-21' } });
    expect(
      (await within(table).findAllByText('1-1 of 1')).length,
    ).toBeGreaterThan(0);
    expect(problemRows()).toHaveLength(1);
    expect(within(problemRows()[0]).getByText('svc-21')).toBeInTheDocument();
  });

  it('says so when a list is empty, and dates follow the portal language', async () => {
    await render();
    expect(
      await screen.findByText('No orphaned entities.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No entity failed processing.'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('curation-history')).getByText('Nov 29, 2026'),
    ).toBeInTheDocument();
  });
});

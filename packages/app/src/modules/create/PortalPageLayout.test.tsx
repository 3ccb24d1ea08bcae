import { PageLayout } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { PortalPageLayout, activeTabId } from './PortalPageLayout';
import { createPageComponentsModule } from '.';

const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

const tabs = [
  { id: 'templates', label: 'Templates', href: '/create/templates' },
  { id: 'tasks', label: 'Tasks', href: '/create/tasks' },
];

describe('activeTabId', () => {
  it('matches the tab whose path is the location or a prefix of it', () => {
    expect(activeTabId(tabs, '/create/templates')).toBe('templates');
    expect(activeTabId(tabs, '/create/templates/')).toBe('templates');
    expect(activeTabId(tabs, '/create/tasks/1234')).toBe('tasks');
    expect(activeTabId(tabs, '/create/taskslist')).toBeUndefined();
    expect(activeTabId(tabs, '/catalog')).toBeUndefined();
  });

  it('prefers the longest match', () => {
    const nested = [
      { id: 'all', label: 'All', href: '/docs' },
      { id: 'mine', label: 'Mine', href: '/docs/mine' },
    ];
    expect(activeTabId(nested, '/docs/mine/x')).toBe('mine');
    expect(activeTabId(nested, '/docs/other')).toBe('all');
  });
});

describe('PortalPageLayout', () => {
  it('shows sub-pages as links in a named navigation, the current one marked', async () => {
    await renderInTestApp(
      <PortalPageLayout title="Create" tabs={tabs}>
        <p>content</p>
      </PortalPageLayout>,
      { initialRouteEntries: ['/create/tasks/1234'] },
    );
    const nav = await screen.findByRole(
      'navigation',
      { name: 'Sub-pages of Create' },
      WAIT,
    );
    const templates = within(nav).getByRole('link', { name: 'Templates' });
    const tasks = within(nav).getByRole('link', { name: 'Tasks' });
    expect(templates).toHaveAttribute('href', '/create/templates');
    expect(templates).not.toHaveAttribute('aria-current');
    expect(tasks).toHaveAttribute('href', '/create/tasks');
    expect(tasks).toHaveAttribute('aria-current', 'page');
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'Create' }),
    ).toBeInTheDocument();
    expect(screen.getByText('content')).toBeInTheDocument();
  });

  it('renders no navigation without sub-pages, and only the content without a header', async () => {
    const { unmount } = await renderInTestApp(
      <PortalPageLayout title="Catalog">
        <p>table</p>
      </PortalPageLayout>,
    );
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Catalog' }, WAIT),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('navigation', { name: /Sub-pages/ }),
    ).not.toBeInTheDocument();
    unmount();

    await renderInTestApp(
      <PortalPageLayout title="Catalog" noHeader tabs={tabs}>
        <p>table</p>
      </PortalPageLayout>,
    );
    expect(await screen.findByText('table', {}, WAIT)).toBeInTheDocument();
    expect(screen.queryByRole('heading')).not.toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });

  it("replaces plugin-app's page layout in the app", async () => {
    await renderInTestApp(
      <PageLayout title="Create" tabs={tabs}>
        <p>content</p>
      </PageLayout>,
      {
        initialRouteEntries: ['/create/templates'],
        features: [createPageComponentsModule],
      },
    );
    const nav = await screen.findByRole(
      'navigation',
      { name: 'Sub-pages of Create' },
      WAIT,
    );
    expect(
      within(nav).getByRole('link', { name: 'Templates' }),
    ).toHaveAttribute('aria-current', 'page');
    expect(screen.queryByRole('tablist')).not.toBeInTheDocument();
  });
});

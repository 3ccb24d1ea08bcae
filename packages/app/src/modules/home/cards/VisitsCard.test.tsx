import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Visit, VisitsApi, visitsApiRef } from '@backstage/plugin-home';
import { act, screen, within } from '@testing-library/react';
import { VisitsCard } from './VisitsCard';

const WAIT = { timeout: 15_000 };

// The visits arrive a moment after the first render: rendering inside an
// async act() lets that update land inside it.
async function render(card: JSX.Element, api: VisitsApi) {
  await act(async () => {
    renderInTestApp(card, { apis: [[visitsApiRef, api]] });
  });
}
jest.setTimeout(60_000);

const visit = (name: string, hits: number, minutesAgo: number): Visit => ({
  id: name,
  name,
  pathname: `/catalog/default/component/${name}`,
  entityRef: `component:default/${name}`,
  hits,
  timestamp: Date.now() - minutesAgo * 60_000,
});

function visitsApi(visits: Visit[]): jest.Mocked<VisitsApi> {
  return {
    list: jest.fn(async () => visits),
    save: jest.fn(),
  } as unknown as jest.Mocked<VisitsApi>;
}

describe('VisitsCard', () => {
  it('lists the last visits as list items only, newest first', async () => {
    const api = visitsApi([visit('ocr-inference', 3, 5)]);
    await render(<VisitsCard kind="recent" title="Recently visited" />, api);
    const link = await screen.findByRole(
      'link',
      { name: 'ocr-inference' },
      WAIT,
    );
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/ocr-inference',
    );
    expect(api.list).toHaveBeenCalledWith({
      limit: 8,
      orderBy: [{ field: 'timestamp', direction: 'desc' }],
    });
    // One visit is "few": upstream's VisitList put a paragraph in the <ul>.
    const list = screen.getByRole('list');
    for (const child of Array.from(list.children)) {
      expect(child.tagName).toBe('LI');
    }
    expect(within(list).getByText('5 minutes ago')).toBeInTheDocument();
  });

  it('orders by hits for the most visited and shows the count', async () => {
    const api = visitsApi([visit('payments-api', 12, 60)]);
    await render(<VisitsCard kind="top" title="Most visited" />, api);
    expect(
      await screen.findByText('Opened 12 times', {}, WAIT),
    ).toBeInTheDocument();
    expect(api.list).toHaveBeenCalledWith({
      limit: 8,
      orderBy: [{ field: 'hits', direction: 'desc' }],
    });
  });

  it('says so outside any list when there are no visits', async () => {
    await render(
      <VisitsCard kind="recent" title="Recently visited" />,
      visitsApi([]),
    );
    expect(
      await screen.findByText(
        'No visits yet: the pages you open appear here.',
        {},
        WAIT,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });
});

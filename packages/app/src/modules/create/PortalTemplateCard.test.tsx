import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MockStarredEntitiesApi,
  entityRouteRef,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import {
  TemplateCard,
  TemplateCardComponentProps,
} from '@backstage/plugin-scaffolder-react/alpha';
import { fireEvent, screen } from '@testing-library/react';
import { PortalTemplateCard } from './PortalTemplateCard';
import { createPageComponentsModule } from '.';

const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

const template: TemplateCardComponentProps['template'] = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    namespace: 'default',
    name: 'nodejs-service',
    title: 'Node.js service',
    description: 'A **Node.js** service with a pipeline.',
    tags: ['nodejs', 'recommended'],
    links: [{ url: 'https://git.example/guide', title: 'Guide' }],
  },
  spec: {
    type: 'service',
    steps: [],
    parameters: [],
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/platform-team' }],
};

type Decision = AuthorizeResult.ALLOW | AuthorizeResult.DENY;

function render(
  element: JSX.Element,
  authorize: Decision | (() => Decision),
  analytics = mockApis.analytics(),
) {
  return renderInTestApp(element, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [
      mockApis.permission({ authorize }),
      analytics,
      [starredEntitiesApiRef, new MockStarredEntitiesApi()],
    ],
    features: [createPageComponentsModule],
  });
}

describe('PortalTemplateCard', () => {
  it('shows the template and links to its entity page by name', async () => {
    await render(
      <PortalTemplateCard
        template={template}
        additionalLinks={[
          { icon: () => null, text: 'Docs', url: '/docs/default/template/x' },
        ]}
      />,
      AuthorizeResult.ALLOW,
    );
    const detail = await screen.findByRole(
      'link',
      { name: 'Details of the template Node.js service' },
      WAIT,
    );
    expect(detail).toHaveAttribute(
      'href',
      '/catalog/default/template/nodejs-service',
    );
    // A link, not a link inside a button.
    expect(detail.closest('button')).toBeNull();
    expect(
      screen.getByRole('article', { name: 'Node.js service' }),
    ).toBeInTheDocument();
    expect(screen.getByText('service')).toBeInTheDocument();
    expect(screen.getByText('Node.js').tagName).toBe('STRONG');
    expect(screen.getByText('recommended')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^Guide/ })).toHaveAttribute(
      'href',
      'https://git.example/guide',
    );
    expect(screen.getByRole('link', { name: 'Docs' })).toHaveAttribute(
      'href',
      '/docs/default/template/x',
    );
    expect(screen.getByRole('link', { name: 'platform-team' })).toBeVisible();
  });

  it('calls onSelected and records the choice when Choose is clicked', async () => {
    const analytics = mockApis.analytics();
    const onSelected = jest.fn();
    await render(
      <PortalTemplateCard template={template} onSelected={onSelected} />,
      AuthorizeResult.ALLOW,
      analytics,
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Choose' }, WAIT),
    );
    expect(onSelected).toHaveBeenCalledTimes(1);
    expect(analytics.getEvents()).toContainEqual(
      expect.objectContaining({
        action: 'click',
        subject: 'Template has been opened',
      }),
    );
  });

  it("replaces scaffolder-react's TemplateCard in the app", async () => {
    await render(
      <TemplateCard template={template} onSelected={jest.fn()} />,
      AuthorizeResult.ALLOW,
    );
    expect(
      await screen.findByRole(
        'link',
        { name: 'Details of the template Node.js service' },
        WAIT,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Show template entity details' }),
    ).not.toBeInTheDocument();
  });
});

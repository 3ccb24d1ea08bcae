import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityPresentationApi,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import { ReasonText } from './ReasonText';

/** The catalog's names of two teams; other refs show as their name. */
const names: Record<string, string> = {
  'group:default/ml-team': 'AI/ML team',
  'group:default/payments-team': 'Payments team',
};
const presentation: EntityPresentationApi = {
  forEntity(entityOrRef, context) {
    const ref = parseEntityRef(String(entityOrRef), {
      defaultKind: context?.defaultKind ?? 'component',
      defaultNamespace: 'default',
    });
    const key = `${ref.kind.toLocaleLowerCase('en-US')}:${ref.namespace}/${
      ref.name
    }`;
    const snapshot = { entityRef: key, primaryTitle: names[key] ?? ref.name };
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

describe('ReasonText', () => {
  it('renders a catalog reason through the translation ref, with its duration in words', async () => {
    await renderInTestApp(<ReasonText text="extended by P1D: one more run" />);
    expect(
      (await screen.findByText('extended by 1 day: one more run')).textContent,
    ).toBe('extended by 1 day: one more run');
  });

  it('shows a time parameter in the portal format, not as ISO', async () => {
    await renderInTestApp(
      <ReasonText text="the lease ends at 2026-12-02T09:00:00.000Z" />,
    );
    const text = (await screen.findByText(/^the lease ends at /)).textContent;
    expect(text).toMatch(/2026/);
    expect(text).not.toContain('T09:00:00.000Z');
  });

  it('shows a team by its display name', async () => {
    await renderInTestApp(
      <ReasonText text="namespace ml-x is labelled for payments-team, not group:default/ml-team" />,
      { apis: [[entityPresentationApiRef, presentation]] },
    );
    const shown =
      'namespace ml-x is labelled for Payments team, not AI/ML team';
    expect(
      (await screen.findByText(shown, {}, { timeout: 15_000 })).textContent,
    ).toBe(shown);
  });

  it('shows free text as written', async () => {
    await renderInTestApp(<ReasonText text="looks fine, go ahead" />);
    expect((await screen.findByText('looks fine, go ahead')).textContent).toBe(
      'looks fine, go ahead',
    );
  });
});

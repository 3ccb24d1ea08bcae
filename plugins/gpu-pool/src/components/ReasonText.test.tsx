import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { ReasonText } from './ReasonText';

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

  it('shows free text as written', async () => {
    await renderInTestApp(<ReasonText text="looks fine, go ahead" />);
    expect((await screen.findByText('looks fine, go ahead')).textContent).toBe(
      'looks fine, go ahead',
    );
  });
});

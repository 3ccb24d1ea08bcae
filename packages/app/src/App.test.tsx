import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { WelcomeWidget } from './modules/home/WelcomeWidget';

describe('WelcomeWidget', () => {
  it('shows the portal and where to start', async () => {
    await renderInTestApp(<WelcomeWidget />);
    expect(
      await screen.findByText('Cloud Smart developer portal'),
    ).toBeInTheDocument();
    expect(screen.getByText('Golden paths')).toBeInTheDocument();
    expect(screen.getAllByText('Open')).toHaveLength(3);
  });
});

import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { QualityReport } from '@internal/plugin-catalog-curation-common';
import { catalogCurationApiRef, CatalogCurationApi } from '../api/CatalogCurationClient';
import { EntityQualityCard } from './EntityQualityCard';

// Rendering the card takes seconds on the shared CI machine (5 s, jest's
// default, was exceeded under load).
jest.setTimeout(30_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ocr-inference', namespace: 'default' },
  spec: { type: 'service', owner: 'ml-team' },
};

function apiReturning(report: Promise<QualityReport>): CatalogCurationApi {
  return {
    getQuality: jest.fn(() => report),
    getReport: jest.fn(),
    getHistory: jest.fn(),
    unregisterOrphan: jest.fn(),
  };
}

async function render(api: CatalogCurationApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[catalogCurationApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityQualityCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityQualityCard', () => {
  it('lists what is missing and how to fix it, failing checks first', async () => {
    const api = apiReturning(
      Promise.resolve({
        entityRef: 'component:default/ocr-inference',
        passed: 1,
        applicable: 3,
        checks: [
          { id: 'owner', status: 'pass' },
          { id: 'techdocs', status: 'fail', missing: ['backstage.io/techdocs-ref'] },
          { id: 'pipeline', status: 'fail', missing: ['sbom'], values: { source: 'gitlab-ci' } },
          { id: 'api-definition', status: 'not-applicable' },
        ],
      }),
    );
    await render(api);
    expect(await screen.findByText('1 of 3 passed')).toBeInTheDocument();
    expect(api.getQuality).toHaveBeenCalledWith('component:default/ocr-inference');
    expect(screen.getByText('Missing: backstage.io/techdocs-ref')).toBeInTheDocument();
    expect(screen.getByText(/Stages learnt from: \.gitlab-ci\.yml/)).toBeInTheDocument();
    // The annotation to add is code in the sentence, not words of it.
    expect(screen.getByText('backstage.io/techdocs-ref: dir:.').tagName).toBe('CODE');
    expect(screen.queryByText('API definition')).not.toBeInTheDocument();
    const items = screen.getAllByRole('listitem').map(li => li.getAttribute('data-testid'));
    expect(items).toEqual(['quality-techdocs', 'quality-pipeline', 'quality-owner']);
  });

  it('shows the error when the checks cannot be loaded', async () => {
    await render(apiReturning(Promise.reject(new Error('backend down'))));
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(0);
  });
});

import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { useTableLocalization } from './useTableLocalization';

describe('useTableLocalization', () => {
  it('gives the same labels object while nothing it depends on changed', async () => {
    const seen: object[] = [];
    function Page() {
      const [renders, setRenders] = useState(0);
      seen.push(useTableLocalization());
      return (
        <button type="button" onClick={() => setRenders(renders + 1)}>
          render {renders}
        </button>
      );
    }
    await renderInTestApp(<Page />);
    fireEvent.click(await screen.findByText('render 0'));
    await screen.findByText('render 1');

    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toMatchObject({
      toolbar: { searchAriaLabel: expect.any(String) },
      pagination: { nextAriaLabel: expect.any(String) },
    });
  });

  it('lets what the caller passes win', async () => {
    let labels: ReturnType<typeof useTableLocalization> | undefined;
    function Page() {
      labels = useTableLocalization({
        toolbar: { searchPlaceholder: 'find' },
        body: { emptyDataSourceMessage: 'none' },
      });
      return null;
    }
    await renderInTestApp(<Page />);
    expect(labels?.toolbar?.searchPlaceholder).toBe('find');
    expect(labels?.toolbar?.clearSearchAriaLabel).toEqual(expect.any(String));
    expect(labels?.body?.emptyDataSourceMessage).toBe('none');
  });
});

import { errorLines, startBackend } from '../support/backend';
import { eventually } from '../support/eventually';

describe('backend start-up with the dev config', () => {
  it('becomes ready, loads the example organisation and logs no error', async () => {
    const backend = await startBackend();
    try {
      const res = await fetch(
        `${backend.baseUrl}/.backstage/health/v1/readiness`,
      );
      expect(res.status).toBe(200);

      // Sign in as guest like the app does, then read the catalog.
      const first = await guestSession(backend.baseUrl);
      const names = await waitForComponents(backend.baseUrl, first.token, [
        'cloud-smart-portal',
        'payments-api',
        'ocr-inference',
      ]);
      expect(names).toEqual(
        expect.arrayContaining([
          'cloud-smart-portal',
          'payments-api',
          'ocr-inference',
        ]),
      );

      // Once the organisation is loaded, the guest is a member of the ML team.
      const session = await guestSession(backend.baseUrl);
      expect(session.identity.userEntityRef).toBe('user:default/jiwoo.kim');
      expect(session.identity.ownershipEntityRefs).toContain(
        'group:default/ml-team',
      );

      // Give start-up tasks a moment to log anything they would.
      await new Promise(r => setTimeout(r, 3000));
    } catch (error) {
      // The backend's own account of what went wrong is the useful part.
      throw new Error(
        `${error}\n--- backend log (tail) ---\n${backend
          .output()
          .split('\n')
          .slice(-60)
          .join('\n')}`,
      );
    } finally {
      await backend.stop();
    }
    expect(errorLines(backend.output())).toEqual([]);
  });
});

async function guestSession(baseUrl: string) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.status).toBe(200);
  return (await res.json()).backstageIdentity;
}

async function waitForComponents(
  baseUrl: string,
  token: string,
  expected: string[],
): Promise<string[]> {
  return eventually(
    async () => {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name&limit=200`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      const body = await res.json();
      const found: string[] = body.items.map((e: any) => e.metadata.name);
      return expected.every(n => found.includes(n)) ? found : undefined;
    },
    {
      timeoutMs: 60_000,
      intervalMs: 1000,
      what: `components ${expected.join(', ')} in the catalog`,
    },
  );
}

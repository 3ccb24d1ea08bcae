import { eventually } from './eventually';

/**
 * Signs in as the guest like the app does and returns the Backstage token,
 * once the catalog has loaded the organisation so the guest is in `group`.
 * Which user the guest is comes from `auth.providers.guest.userEntityRef`.
 */
export async function guestToken(
  baseUrl: string,
  group: string,
): Promise<string> {
  return eventually(
    async () => {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (res.status !== 200) return undefined;
      const { backstageIdentity } = await res.json();
      return backstageIdentity.identity.ownershipEntityRefs.includes(group)
        ? (backstageIdentity.token as string)
        : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 1000, what: `guest sign-in in ${group}` },
  );
}

import { spawn } from 'node:child_process';
import path from 'node:path';
import { eventually } from './eventually';
import { repoRoot } from './paths';

/** A user of the test OpenID Provider. */
export interface OidcUser {
  id: string;
  password: string;
  email: string;
  name?: string;
  groups?: string[];
}

/** The OpenID Provider running on loopback. */
export interface RunningOidcProvider {
  issuer: string;
  metadataUrl: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/**
 * Starts the certified `oidc-provider` on a free loopback port with `users`,
 * a confidential client for the portal, and a login form; `redirectUris` are
 * the portal's OIDC callbacks (`<baseUrl>/api/auth/oidc/handler/frame`).
 */
export async function startOidcProvider(options: {
  users: OidcUser[];
  redirectUris: string[];
}): Promise<RunningOidcProvider> {
  const clientId = 'portal';
  const clientSecret = `secret-${Math.random().toString(36).slice(2)}`;
  const child = spawn(
    process.execPath,
    [
      path.join(
        repoRoot,
        'packages',
        'e2e-tests',
        'src',
        'support',
        'oidc',
        'server.mjs',
      ),
    ],
    {
      env: {
        ...process.env,
        OIDC_TEST_SETTINGS: JSON.stringify({
          clientId,
          clientSecret,
          redirectUris: options.redirectUris,
          users: options.users,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', c => (output += c));
  child.stderr!.on('data', c => (output += c));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise(r => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  try {
    const issuer = await eventually(
      () => {
        if (child.exitCode !== null) {
          throw new Error(`OIDC provider exited: ${output}`);
        }
        return /listening (\S+)/.exec(output)?.[1];
      },
      { timeoutMs: 20_000, what: 'the OIDC provider listening' },
    );
    return {
      issuer,
      metadataUrl: `${issuer}/.well-known/openid-configuration`,
      clientId,
      clientSecret,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The portal's callback URL for its OIDC provider. */
export function oidcRedirectUri(baseUrl: string): string {
  return `${baseUrl}/api/auth/oidc/handler/frame`;
}

/**
 * Signs in to the portal at `baseUrl` through the full authorization-code
 * flow without a browser, the way the popup does: start, the provider's
 * login form, the callback, then refresh for the Backstage token. Resolves
 * with the refresh response (status and JSON body) and what the callback
 * page posts to the app (`callback`: the identity, or the error the user
 * sees), so a refusal can be asserted on too.
 */
export async function oidcSignIn(
  baseUrl: string,
  user: { id: string; password: string },
): Promise<{ status: number; body: any; callback: any }> {
  const jar = new Map<string, Map<string, string>>();
  const cookiesFor = (url: URL) =>
    [...(jar.get(url.host)?.entries() ?? [])]
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  const request = async (url: string, init: RequestInit = {}) => {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = cookiesFor(target);
    if (cookie) headers.set('Cookie', cookie);
    const res = await fetch(target, {
      ...init,
      headers,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const host = jar.get(target.host) ?? new Map();
      host.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      jar.set(target.host, host);
    }
    return res;
  };

  let res = await request(
    `${baseUrl}/api/auth/oidc/start?env=production&scope=openid%20profile%20email&origin=${encodeURIComponent(
      baseUrl,
    )}&flow=popup`,
  );
  let url = '';
  // Follow redirects to the login form; bounded.
  for (let hop = 0; hop < 10 && res.status >= 300 && res.status < 400; hop++) {
    url = new URL(res.headers.get('location')!, url || baseUrl).toString();
    res = await request(url);
  }
  const form = await res.text();
  const action = /action="([^"]+)"/.exec(form)?.[1];
  if (!action) {
    throw new Error(`no login form at ${url}: ${res.status} ${form}`);
  }
  res = await request(new URL(action, url).toString(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      username: user.id,
      password: user.password,
    }).toString(),
  });
  url = new URL(action, url).toString();
  for (let hop = 0; hop < 10 && res.status >= 300 && res.status < 400; hop++) {
    url = new URL(res.headers.get('location')!, url).toString();
    res = await request(url);
  }
  // The callback page posts the result to the opener; the refresh cookie is
  // what the app's refresh uses.
  const page = await res.text();
  const posted = /decodeURIComponent\('([^']*)'\)/.exec(page)?.[1];
  const callback = posted
    ? JSON.parse(decodeURIComponent(posted))
    : { error: { message: `no callback response: ${res.status} ${page}` } };
  const refresh = await request(
    `${baseUrl}/api/auth/oidc/refresh?optional&env=production&scope=openid%20profile%20email`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  const text = await refresh.text();
  return {
    status: refresh.status,
    body: text ? JSON.parse(text) : undefined,
    callback,
  };
}

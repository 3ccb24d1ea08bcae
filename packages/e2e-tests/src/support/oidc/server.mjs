// A certified OpenID Provider (the `oidc-provider` package) on loopback for the
// end-to-end tests, with a login form of its own. Run as a separate process
// because oidc-provider is an ES module. Reads its settings as JSON from
// OIDC_TEST_SETTINGS: { clientId, clientSecret, redirectUris, users: [{ id,
// password, email, name, groups }] }, listens on a free 127.0.0.1 port and
// prints `listening <issuer>` once ready.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_SETTINGS ?? '{}');
for (const field of ['clientId', 'clientSecret', 'redirectUris', 'users']) {
  if (!settings[field]) {
    throw new Error(`OIDC_TEST_SETTINGS.${field} is required`);
  }
}
const users = new Map(settings.users.map(u => [u.id, u]));

const server = http.createServer();
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uris: settings.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // Claims in the ID token too, as Keycloak does with its default mappers.
  conformIdTokenClaims: false,
  cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => false },
  // Refresh tokens without offline_access, as Keycloak issues them: the
  // portal keeps the session through its refresh cookie.
  issueRefreshToken: async (_ctx, client) =>
    client.grantTypeAllowed('refresh_token'),
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  async findAccount(_ctx, id) {
    const user = users.get(id);
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: true,
          name: user.name ?? id,
          groups: user.groups ?? [],
        };
      },
    };
  },
  // The portal is a first-party client: consent is implied.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId ??
      ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

const escape = s => String(s).replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);

function loginPage(uid, error) {
  return `<!doctype html><html><head><title>Sign in</title></head><body>
<h1>Test identity provider</h1>${
    error ? `<p role="alert">${escape(error)}</p>` : ''
  }
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Username <input name="username" autocomplete="off"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? '');
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST' && match[2]) {
      const form = await readForm(req);
      const user = users.get(form.get('username') ?? '');
      if (!user || user.password !== form.get('password')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(loginPage(details.uid, 'Invalid username or password'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.id } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(loginPage(details.uid));
  } catch (error) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end(String(error));
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(`listening ${issuer}\n`);

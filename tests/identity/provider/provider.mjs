// The OpenID Connect provider the identity tests start: the certified `oidc-provider`, as a
// municipality's broker would run it in front of Suomi.fi e-Identification. Its login page is
// the library's development page (any listed account, any password); everything after it
// (codes, PKCE, signed ID tokens, userinfo, end_session) is the library's own.
//
// Environment: PORT; CLIENTS, a JSON list of {client_id, client_secret, redirect_uris,
// post_logout_redirect_uris}; a client whose id starts with "tamper" gets its ID tokens
// altered after signing (a man in the middle), so the tests can show they are refused.
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.CLIENTS);

// The test people. `hetu` is the personal identity code a Suomi.fi broker passes on.
const ACCOUNTS = {
  'aino-suomifi': {
    given_name: 'Aino', family_name: 'Aaltonen', email: 'aino@example.fi', locale: 'fi',
    hetu: '010190-123M',
  },
  'bertil-suomifi': {
    given_name: 'Bertil', family_name: 'Björk', email: 'bertil@example.fi', locale: 'sv',
  },
  'new-person': {
    given_name: 'Uusi', family_name: 'Henkilö', email: 'uusi@example.fi', locale: 'sv',
    hetu: '020202A4564',
  },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: clients.map((client) => ({
    ...client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  })),
  jwks: { keys: [signingKey] },
  async findAccount(ctx, id) {
    const person = ACCOUNTS[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          ...person,
          name: `${person.given_name} ${person.family_name}`,
          email_verified: true,
        };
      },
    };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'locale', 'hetu'],
    email: ['email', 'email_verified'],
  },
  // The service is the broker's own client: no consent page, as a municipality sets it up.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  ttl: { IdToken: 600, AccessToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
});

provider.use(async (ctx, next) => {
  await next();
  const clientId = ctx.oidc?.client?.clientId;
  if (ctx.path === '/token' && ctx.body?.id_token && clientId?.startsWith('tamper')) {
    // Swap the subject, keep the signature: what a forged token looks like.
    const [header, payload, signature] = ctx.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.sub = 'bertil-suomifi';
    const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
    ctx.body = { ...ctx.body, id_token: `${header}.${forged}.${signature}` };
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { announce, serverStats } from './server-stats.js';

/**
 * Peer: the plain stateless JWT — sign at login, verify the signature and claims on every
 * request, nothing on the server. Nothing to look up, and nothing to revoke: "logout" can
 * only ask the client to forget the token.
 */
const ISSUER = 'https://jose.bench.test';
const AUDIENCE = 'https://jose.bench.test';
const { publicKey, privateKey } = await generateKeyPair('EdDSA');

const app = new Hono();
app.get('/api/health', (c) => c.json({ status: 'ok' }));
app.get('/bench/stats', (c) => c.json(serverStats()));
app.post('/api/login', async (c) => {
  const token = await new SignJWT({ email: 'bench@example.test' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
    .setSubject('user-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
  return c.json({ access_token: token });
});
app.get('/api/me', async (c) => {
  const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (token === undefined) return c.json({ code: 'unauthenticated' }, 401);
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      typ: 'at+jwt',
    });
    return c.json({ user: { id: payload.sub, email: payload.email } });
  } catch {
    return c.json({ code: 'unauthenticated' }, 401);
  }
});
app.post('/api/logout', (c) => c.body(null, 204));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  announce({ ready: true, port: info.port });
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});

// Peer: Express 5 with express-session and connect-redis, the usual Node session stack.
// Every request with a session cookie reads the session from Redis. Plain JavaScript:
// express and express-session ship no types, and this file only wires them together.
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { BENCH_REDIS_PREFIX, REDIS_URL } from '../bench-settings.js';
import { announce, serverStats } from './server-stats.js';

const redis = createClient({ url: REDIS_URL });
try {
  await redis.connect();
} catch (error) {
  announce({
    ready: false,
    unavailable: `Redis not reachable (${error instanceof Error ? error.message : String(error)})`,
  });
  process.exit(0);
}

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '16kb' }));
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: `${BENCH_REDIS_PREFIX}express-session:` }),
    secret: 'bench-secret-bench-secret-bench-secret-0123456789',
    name: 'sid',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: false, maxAge: 7 * 24 * 3600 * 1000 },
  }),
);

app.get('/api/health', (_request, response) => {
  response.json({ status: 'ok' });
});
app.get('/bench/stats', (_request, response) => {
  response.json(serverStats());
});
// Sign-in is not what is measured: no password check, just a new session for the user.
app.post('/api/login', (request, response, next) => {
  request.session.regenerate((error) => {
    if (error) return next(error);
    request.session.user = { id: 'user-1', email: String(request.body?.email ?? 'bench@example.test') };
    response.json({ user: request.session.user });
  });
});
app.get('/api/me', (request, response) => {
  if (request.session.user === undefined) return response.status(401).json({ code: 'unauthenticated' });
  response.json({ user: request.session.user });
});
app.post('/api/logout', (request, response, next) => {
  request.session.destroy((error) => {
    if (error) return next(error);
    response.status(204).end();
  });
});

const server = app.listen(0, '127.0.0.1', () => {
  announce({ ready: true, port: server.address().port });
});
process.on('SIGTERM', () => {
  server.close(() => {
    void redis.quit().finally(() => process.exit(0));
  });
});

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import compression from 'compression';
import express from 'express';
import type { Express } from 'express';
import type { AppConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { closeContext, createContext } from './context.ts';
import { AuthRepository } from './features/auth/repository.ts';
import { authRoutes } from './features/auth/routes.ts';
import { AuthService } from './features/auth/service.ts';
import { DashboardRepository } from './features/dashboard/repository.ts';
import { AdminRepository } from './features/admin/repository.ts';
import { adminRoutes } from './features/admin/routes.ts';
import { AdminService } from './features/admin/service.ts';
import { dashboardRoutes } from './features/dashboard/routes.ts';
import { DashboardService } from './features/dashboard/service.ts';
import { ExternalRepository } from './features/external/repository.ts';
import { externalRoutes } from './features/external/routes.ts';
import { startExternalRefresh } from './features/external/scheduler.ts';
import { ExternalService } from './features/external/service.ts';
import { MetricsRepository } from './features/metrics/repository.ts';
import { metricsRoutes } from './features/metrics/routes.ts';
import { MetricsService } from './features/metrics/service.ts';
import { performanceRoutes } from './features/performance/routes.ts';
import { PerformanceService } from './features/performance/service.ts';
import { ProfileRepository } from './features/profile/repository.ts';
import { profileRoutes } from './features/profile/routes.ts';
import { ProfileService } from './features/profile/service.ts';
import { rumRoutes } from './features/rum/routes.ts';
import { errorHandler, HttpError } from './http/errors.ts';
import { operationsRoutes } from './http/operations.ts';
import { securityHeaderList, securityHeaders } from './http/security-headers.ts';
import { hotPath } from './http/hot-path.ts';
import { trustLoopbackProxy } from './http/trust-proxy.ts';
import { staticFiles } from './http/static-files.ts';
import type { Logger } from './log.ts';
import { createLogger } from './log.ts';
import { burnRoutes } from './scaling/burn-route.ts';
import { requireSession } from './sessions/auth-middleware.ts';
import { UpstreamClient } from './upstream/client.ts';

/** An app with its resources; `close()` stops its timers and connections. */
export interface AppInstance {
  app: Express;
  /** The request listener: the hot path for in-memory cache hits, else Express. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  context: AppContext;
  close(): Promise<void>;
}

/** A listening app, for tests (port 0) and the instance runner. */
export interface RunningApp {
  url: string;
  port: number;
  context: AppContext;
  stop(): Promise<void>;
  /** Graceful stop: no new connections, in-flight requests finish (up to timeoutMs), then stop(). */
  drain(timeoutMs: number): Promise<void>;
}

export async function createApp(config: AppConfig, log: Logger = createLogger(config.logLevel)): Promise<AppInstance> {
  const ctx = await createContext(config, log);
  const profile = new ProfileService(new ProfileRepository(ctx.db), ctx.cache, ctx.invalidation);
  const external = new ExternalService(
    ctx.externalStore,
    new ExternalRepository(ctx.db),
    new UpstreamClient(config.upstreamUrl),
    config.cache.externalAPIs.ttlMs,
    ctx.counters,
    log,
  );
  const stopRefresh = startExternalRefresh(external, config.cache.externalAPIs.ttlMs, log);
  const session = requireSession(ctx.sessions);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  if (config.trustProxy === 'loopback') app.set('trust proxy', trustLoopbackProxy);
  app.use(securityHeaders(config.assetBaseUrl, ctx.instanceId));
  app.use(ctx.requestStats.middleware());
  app.use(compressUnlessPrecompressed());
  app.use(operationsRoutes(ctx));
  app.use('/api', express.json({ limit: '1mb' }));
  if (config.debugBurnRoute) app.use(burnRoutes());
  app.use(
    '/api/auth',
    authRoutes(new AuthService(new AuthRepository(ctx.db), ctx.sessions, ctx.loginLimit, ctx.redis), profile, session, {
      secure: config.session.cookieSecure,
      maxAgeS: config.session.ttlS,
    }),
  );
  app.use('/api/rum', rumRoutes(ctx.rum));
  app.use(
    '/api/performance',
    performanceRoutes(
      new PerformanceService(ctx.db, ctx.publisher, ctx.rum, config.buildStatsFile, config.db.slowQueryMs, ctx.redis),
      { token: config.performanceToken, sessions: ctx.sessions },
      ctx.scaling,
    ),
  );
  app.use('/api/dashboard', session, dashboardRoutes(new DashboardService(new DashboardRepository(ctx.db), ctx.cache)));
  app.use(
    '/api/metrics',
    session,
    metricsRoutes(new MetricsService(new MetricsRepository(ctx.db), ctx.cache, ctx.invalidation)),
  );
  app.use('/api/profile', session, profileRoutes(profile));
  app.use('/api/external', session, externalRoutes(external));
  app.use('/api/admin', session, adminRoutes(new AdminService(new AdminRepository(ctx.db))));
  app.use('/api', (req, _res, next) => next(new HttpError(404, 'NOT_FOUND', `no API route ${req.method} ${req.path}`)));
  if (config.staticDir && existsSync(config.staticDir)) app.use(staticFiles(config.staticDir, config.assetBaseUrl));
  app.use(errorHandler(log));

  const hot = hotPath(ctx, securityHeaderList(config.assetBaseUrl, ctx.instanceId));
  return {
    app,
    handler: (req, res) => {
      if (!hot(req, res)) app(req, res);
    },
    context: ctx,
    close: async () => {
      stopRefresh();
      await closeContext(ctx);
    },
  };
}

/**
 * Cached API answers keep their own compressed variants (http/send.ts), so the
 * compression middleware, which would wrap every response, is skipped for them.
 */
function compressUnlessPrecompressed(): express.RequestHandler {
  const compress = compression({ threshold: 1024 });
  const cached = /^\/api\/(dashboard|profile|auth\/me|metrics\/[^/]+\/series)\/?$/;
  return (req, res, next) => (req.method === 'GET' && cached.test(req.path) ? next() : compress(req, res, next));
}

/** Builds the app and listens on config.port (0 picks a free port). */
export async function start(config: AppConfig, log?: Logger): Promise<RunningApp> {
  const instance = await createApp(config, log);
  let draining = false;
  // While draining, every answer closes its connection, so keep-alive clients reconnect to another instance.
  const server = createServer((req, res) => {
    if (draining) res.shouldKeepAlive = false;
    instance.handler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await instance.close();
    })());
  return {
    url: `http://${host}:${port}`,
    port,
    context: instance.context,
    stop,
    drain: async (timeoutMs) => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      await stop();
    },
  };
}

// swagger-stats ships no types; this declares the part of its API the kit uses.
declare module 'swagger-stats' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface SwaggerStatsOptions {
    name?: string;
    version?: string;
    uriPath?: string;
    metricsPrefix?: string;
    timelineBucketDuration?: number;
    durationBuckets?: number[];
    swaggerSpec?: unknown;
    authentication?: boolean;
  }

  type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

  const swaggerStats: {
    getMiddleware(options?: SwaggerStatsOptions): Middleware;
    stop(): void;
  };
  export default swaggerStats;
}

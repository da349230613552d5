import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageInfo {
  name: string | undefined;
  version: string | undefined;
}

/**
 * The running service's name and version. npm and pnpm scripts export them as npm_package_*; a
 * container runs node directly, so they come from the package.json in the working directory (the
 * image's /app, the service's own package).
 */
export function packageInfo(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): PackageInfo {
  if (env.npm_package_version) return { name: env.npm_package_name, version: env.npm_package_version };
  try {
    const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    return {
      name: typeof manifest.name === 'string' ? manifest.name : undefined,
      version: typeof manifest.version === 'string' ? manifest.version : undefined,
    };
  } catch {
    return { name: undefined, version: undefined };
  }
}

import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The monorepo root, found from this file's location (src/ or dist/ of packages/local-infra). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const localDeployDir = path.join(repoRoot, 'deploy/local');
/** Downloads kept between runs (Kafka jars); ignored by git. */
export const cacheDir = path.join(repoRoot, '.cache');
/** Runtime data of local PostgreSQL and Kafka; ignored by git. */
export const dataRoot = path.join(repoRoot, '.data');

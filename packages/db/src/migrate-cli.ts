#!/usr/bin/env node
/**
 * fleetwatch-migrate --schema <schema> --dir <migrations dir> [--down] [--count <n|all>] [--app-role <role>]
 * Connects with DATABASE_ADMIN_URL (the schema owner), or DATABASE_URL when that is unset.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_APP_ROLE, migrate } from './migrate.js';

const USAGE = `usage: fleetwatch-migrate --schema <schema> --dir <migrations dir> [--down] [--count <n|all>] [--app-role <role>]

Applies pending migrations (or with --down reverts the last --count, default 1) to the schema,
then grants the app role (default ${DEFAULT_APP_ROLE}) access to its tables.
Connects with DATABASE_ADMIN_URL, or DATABASE_URL when DATABASE_ADMIN_URL is unset.`;

class UsageError extends Error {}

interface CliOptions {
  schema: string;
  dir: string;
  direction: 'up' | 'down';
  count: number | undefined;
  appRole: string;
  databaseUrl: string;
}

function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text === 'all') return Infinity;
  if (!/^[1-9][0-9]*$/.test(text)) {
    throw new UsageError(`--count must be a positive integer or "all", got "${text}"`);
  }
  return Number(text);
}

function parseCli(args: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        schema: { type: 'string' },
        dir: { type: 'string' },
        down: { type: 'boolean', default: false },
        count: { type: 'string' },
        'app-role': { type: 'string', default: DEFAULT_APP_ROLE },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  if (!values.schema) throw new UsageError('--schema is required');
  if (!values.dir) throw new UsageError('--dir is required');
  const databaseUrl = env.DATABASE_ADMIN_URL || env.DATABASE_URL;
  if (!databaseUrl) throw new UsageError('set DATABASE_ADMIN_URL (or DATABASE_URL)');
  return {
    schema: values.schema,
    dir: values.dir,
    direction: values.down ? 'down' : 'up',
    count: parseCount(values.count),
    appRole: values['app-role'],
    databaseUrl,
  };
}

async function main(): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`fleetwatch-migrate: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { databaseUrl, schema, dir, direction, count, appRole } = options;
  try {
    const ran = await migrate({ databaseUrl, schema, dir, direction, count, appRole, log: console.log });
    const verb = direction === 'up' ? 'applied' : 'reverted';
    console.log(
      `fleetwatch-migrate: ${verb} ${ran.length} migration(s) in schema ${schema}${ran.length ? `: ${ran.join(', ')}` : ''}`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      `fleetwatch-migrate: migrating schema ${schema} ${direction} from ${dir} failed: ${message}`,
    );
    return 1;
  }
}

process.exitCode = await main();

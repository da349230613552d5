/**
 * Development only: prints a bearer token signed with the local dev key (.data/dev-auth/).
 *   make token TENANT=<tenant id> ROLE=fleet-manager[,viewer]     (ROLE=platform-admin needs no TENANT)
 * With --env it prints instead the AUTH_* settings under which services accept these tokens
 * (`make dev` passes them to the services), creating the key on first use.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_AUDIENCE, DEV_ISSUER, devKeyFiles, loadOrCreateDevKey, mintDevToken } from './dev-token.js';

const { values } = parseArgs({
  options: {
    tenant: { type: 'string', default: '' },
    roles: { type: 'string', default: '' },
    subject: { type: 'string', default: 'dev-user' },
    dir: { type: 'string', default: path.join(process.cwd(), '.data/dev-auth') },
    env: { type: 'boolean', default: false },
  },
});
const files = devKeyFiles(path.resolve(values.dir));

if (values.env) {
  await loadOrCreateDevKey(files);
  console.log(`AUTH_ISSUER=${DEV_ISSUER} AUTH_AUDIENCE=${DEV_AUDIENCE} AUTH_JWKS_FILE=${files.jwksFile}`);
  process.exit(0);
}

const roles = values.roles
  .split(',')
  .map((role) => role.trim())
  .filter(Boolean);
if (roles.length === 0) {
  console.error('usage: make token TENANT=<tenant id> ROLE=<role>[,<role>]');
  process.exit(2);
}
const token = await mintDevToken(files, {
  subject: values.subject,
  roles,
  ...(values.tenant ? { tenant: values.tenant } : {}),
});
console.log(token);

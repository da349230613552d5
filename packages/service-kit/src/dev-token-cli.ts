/**
 * Development only: prints a bearer token signed with the local dev key (.data/dev-auth/).
 *   make token TENANT=<tenant id> ROLE=fleet-manager[,viewer]     (ROLE=platform-admin needs no TENANT)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { devKeyFiles, mintDevToken } from './dev-token.js';

const { values } = parseArgs({
  options: {
    tenant: { type: 'string', default: '' },
    roles: { type: 'string', default: '' },
    subject: { type: 'string', default: 'dev-user' },
    dir: { type: 'string', default: path.join(process.cwd(), '.data/dev-auth') },
  },
});

const roles = values.roles
  .split(',')
  .map((role) => role.trim())
  .filter(Boolean);
if (roles.length === 0) {
  console.error('usage: make token TENANT=<tenant id> ROLE=<role>[,<role>]');
  process.exit(2);
}
const token = await mintDevToken(devKeyFiles(values.dir), {
  subject: values.subject,
  roles,
  ...(values.tenant ? { tenant: values.tenant } : {}),
});
console.log(token);

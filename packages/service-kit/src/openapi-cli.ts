/**
 * Writes a service's OpenAPI document to a file without starting it:
 *   fleetwatch-openapi <module> <out.json>
 * <module> default-exports an async function returning the service's app, built with stand-in
 * dependencies that are never called (the document only needs the routes' schemas).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { writeOpenApiDocument } from './openapi.js';

const [modulePath, outFile] = process.argv.slice(2);
if (!modulePath || !outFile) {
  console.error('usage: fleetwatch-openapi <module exporting default async () => app> <out.json>');
  process.exit(2);
}
const imported = (await import(pathToFileURL(path.resolve(modulePath)).href)) as {
  default?: () => Promise<FastifyInstance>;
};
if (typeof imported.default !== 'function') {
  console.error(`${modulePath} has no default export building the app`);
  process.exit(2);
}
const app = await imported.default();
await writeOpenApiDocument(app, path.resolve(outFile));
await app.close();
console.log(`wrote ${outFile}`);

/**
 * For services' tests: what a service's OpenAPI document leaves undocumented. The same review for every
 * service, so "OpenAPI complete with examples" means one thing.
 */

interface Operation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaNode> };
}

export interface OpenApiReview {
  /** `METHOD /path` of every operation under the prefix. */
  operations: string[];
  /** One line per gap; empty when the document is complete. */
  gaps: string[];
}

/**
 * Every operation under `prefix` needs tags, a summary, security, a JSON schema for each success
 * response but 204, problem+json for 4XX and 5XX, and a request body (if any) that is a named schema
 * in which every scalar a client sends has an example or is an enum.
 */
export function reviewOpenApi(document: OpenApiDocument, prefix: string): OpenApiReview {
  const schemas = document.components.schemas;
  const operations: string[] = [];
  const gaps: string[] = [];

  const leavesWithoutExamples = (node: SchemaNode, at: string, seen: Set<string>): string[] => {
    if (node.$ref) {
      const name = node.$ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return [];
      const target = schemas[name];
      return target
        ? leavesWithoutExamples(target, at, new Set([...seen, name]))
        : [`${at}: unresolved ${name}`];
    }
    if (node.enum || node.examples) return [];
    if (node.anyOf) return node.anyOf.flatMap((option) => leavesWithoutExamples(option, at, seen));
    if (node.properties) {
      return Object.entries(node.properties).flatMap(([key, child]) =>
        leavesWithoutExamples(child, `${at}/${key}`, seen),
      );
    }
    if (node.items) return leavesWithoutExamples(node.items, `${at}/items`, seen);
    return node.type === 'null' ? [] : [`${at}: no example`];
  };

  for (const [path, methods] of Object.entries(document.paths)) {
    if (!path.startsWith(prefix)) continue;
    for (const [method, operation] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${path}`;
      operations.push(name);
      if (!operation.tags?.length) gaps.push(`${name}: no tags`);
      if (!operation.summary) gaps.push(`${name}: no summary`);
      if (!operation.security) gaps.push(`${name}: no security`);
      const success = Object.keys(operation.responses).filter((code) => /^2\d\d$/.test(code));
      if (success.length === 0) gaps.push(`${name}: no success response`);
      for (const code of success.filter((code) => code !== '204')) {
        if (!operation.responses[code]?.content?.['application/json']?.schema) {
          gaps.push(`${name}: ${code} has no JSON schema`);
        }
      }
      for (const range of ['4XX', '5XX']) {
        if (!operation.responses[range]?.content?.['application/problem+json']?.schema) {
          gaps.push(`${name}: ${range} is not problem+json`);
        }
      }
      if (operation.requestBody) {
        const schema = Object.values(operation.requestBody.content)[0]?.schema as SchemaNode | undefined;
        if (!schema?.$ref?.startsWith('#/components/schemas/'))
          gaps.push(`${name}: body is not a named schema`);
        else gaps.push(...leavesWithoutExamples(schema, `${name} body`, new Set()));
      }
    }
  }
  return { operations: operations.sort(), gaps };
}

// Validates requests to, and responses from, the GitHub stand-in against GitHub's
// published OpenAPI description, so the stand-in rejects what GitHub would reject
// and never answers in a shape GitHub would not.
//
// The dereferenced description is large (tens of MB): it is read once per process,
// lazily, and validators are compiled per operation on first use and cached.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
}

interface MediaType {
  schema?: unknown;
}

interface Operation {
  operationId: string;
  method: string;
  route: string;
  /** Path parameter names in the order they appear in the route. */
  paramNames: string[];
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

interface RouteNode {
  literal: Map<string, RouteNode>;
  /** Templated segments; parameter names belong to each route, so they live on the operation. */
  param?: RouteNode;
  patterns: { regex: RegExp; node: RouteNode }[];
  operations: Map<string, Operation>;
}

export interface RouteMatch {
  operationId: string;
  route: string;
  method: string;
  pathParams: Record<string, string>;
}

export interface RequestToValidate {
  method: string;
  /** Path without query string; a leading `/api/v3` (GitHub Enterprise Server) is ignored. */
  path: string;
  query?: URLSearchParams | Record<string, string | string[]>;
  /** Parsed JSON body, or undefined when the request had no body. */
  body?: unknown;
}

export interface ValidationResult {
  operationId: string | null;
  route: string | null;
  pathParams: Record<string, string>;
  ok: boolean;
  errors: string[];
}

export interface ResponseValidation {
  ok: boolean;
  errors: string[];
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
/** A final `{path}`/`{ref}` parameter may span several segments when a client does not encode `/`. */
const MULTI_SEGMENT_PARAMS = new Set(['path', 'ref']);
const GHES_PREFIX = '/api/v3';

let routeTree: RouteNode | undefined;
const operationsById = new Map<string, Operation>();
const validatorCache = new Map<string, ValidateFunction>();

const require = createRequire(import.meta.url);

function newNode(): RouteNode {
  return { literal: new Map(), patterns: [], operations: new Map() };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads GitHub's OpenAPI description once per process and builds the route tree. */
export function loadOpenApi(): void {
  if (routeTree) return;
  const specPath = require.resolve('@octokit/openapi/generated/api.github.com.deref.json');
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const root = newNode();
  for (const [route, item] of Object.entries(spec.paths)) {
    const shared = Array.isArray(item.parameters) ? (item.parameters as Parameter[]) : [];
    for (const [method, raw] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !isObject(raw) || typeof raw.operationId !== 'string') continue;
      const own = Array.isArray(raw.parameters) ? (raw.parameters as Parameter[]) : [];
      const operation: Operation = {
        operationId: raw.operationId,
        method: method.toUpperCase(),
        route,
        paramNames: [...route.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] ?? ''),
        parameters: [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own],
        requestBody: raw.requestBody as Operation['requestBody'],
        responses: (raw.responses ?? {}) as Operation['responses'],
      };
      insertRoute(root, route, operation);
      operationsById.set(operation.operationId, operation);
    }
  }
  routeTree = root;
}

function insertRoute(root: RouteNode, route: string, operation: Operation): void {
  let node = root;
  for (const segment of route.split('/').filter((s) => s !== '')) {
    if (/^\{[^{}]+\}$/.test(segment)) {
      node.param ??= newNode();
      node = node.param;
    } else if (segment.includes('{')) {
      // A segment mixing text and parameters, e.g. `{base}...{head}`.
      const source = segment
        .split(/(\{[^{}]+\})/)
        .map((part) => (/^\{[^{}]+\}$/.test(part) ? '(.+?)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      let entry = node.patterns.find((p) => p.regex.source === `^${source}$`);
      if (!entry) {
        entry = { regex: new RegExp(`^${source}$`), node: newNode() };
        node.patterns.push(entry);
      }
      node = entry.node;
    } else {
      let next = node.literal.get(segment);
      if (!next) {
        next = newNode();
        node.literal.set(segment, next);
      }
      node = next;
    }
  }
  node.operations.set(operation.method, operation);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Strips the GitHub Enterprise Server `/api/v3` prefix and any query string. */
export function restPath(path: string): string {
  const bare = path.split('?')[0] ?? '';
  if (bare === GHES_PREFIX) return '/';
  return bare.startsWith(`${GHES_PREFIX}/`) ? bare.slice(GHES_PREFIX.length) : bare;
}

interface Found {
  operation: Operation;
  values: string[];
}

function walk(node: RouteNode, segments: string[], index: number, method: string, values: string[]): Found | undefined {
  if (index === segments.length) {
    const operation = node.operations.get(method);
    return operation ? { operation, values } : undefined;
  }
  const segment = decodeSegment(segments[index] ?? '');
  // Literal segments win over templated ones, as on GitHub (`/pulls/comments` is not pull number "comments").
  const literal = node.literal.get(segment);
  if (literal) {
    const found = walk(literal, segments, index + 1, method, values);
    if (found) return found;
  }
  for (const pattern of node.patterns) {
    const match = pattern.regex.exec(segment);
    if (!match) continue;
    const found = walk(pattern.node, segments, index + 1, method, [...values, ...match.slice(1).map((m) => m ?? '')]);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    const found = walk(node.param, segments, index + 1, method, [...values, segment]);
    if (found) return found;
    const last = node.param.operations.get(method);
    const name = last?.paramNames[last.paramNames.length - 1];
    if (last && name && MULTI_SEGMENT_PARAMS.has(name) && index < segments.length - 1) {
      return { operation: last, values: [...values, segments.slice(index).map(decodeSegment).join('/')] };
    }
  }
  return undefined;
}

/** Finds the documented operation for a method and path (with or without `/api/v3`). */
export function matchOperation(method: string, path: string): RouteMatch | null {
  loadOpenApi();
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const segments = restPath(path)
    .split('/')
    .filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  const found = routeTree ? walk(routeTree, segments, 0, verb, []) : undefined;
  if (!found) return null;
  const { operation, values } = found;
  const pathParams = Object.fromEntries(operation.paramNames.map((name, i) => [name, values[i] ?? '']));
  return { operationId: operation.operationId, route: operation.route, method: verb, pathParams };
}

// ---------------------------------------------------------------------------
// OpenAPI 3.0 schema → JSON Schema for ajv

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_SINGLE = new Set(['items', 'additionalProperties', 'not', 'additionalItems', 'propertyNames', 'contains']);
const DROPPED = new Set([
  'nullable',
  'example',
  'examples',
  'description',
  'title',
  'discriminator',
  'readOnly',
  'writeOnly',
  'deprecated',
  'externalDocs',
  'xml',
]);

/**
 * Rewrites OpenAPI 3.0 idioms: `nullable` becomes a `null` type (also inside enums,
 * which ajv's own `nullable` support does not cover), and `oneOf` becomes `anyOf`
 * because GitHub's description has overlapping alternatives (a user object also
 * matches a loose "empty object" branch).
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key === 'oneOf' ? 'anyOf' : key] = value.map(toJsonSchema);
    } else if (SCHEMA_SINGLE.has(key) && (isObject(value) || Array.isArray(value))) {
      out[key] = toJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.type === undefined) return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    logger: false,
    validateSchema: false,
    // Errors carry the offending value, for messages like GitHub's ("51 were supplied").
    verbose: true,
    coerceTypes: coerce ? 'array' : false,
  });
  addFormatsModule.default(ajv);
  // Formats GitHub uses that are not JSON Schema formats: accept any value.
  for (const format of ['int32', 'int64', 'double', 'float', 'timestamp', 'repo.nwo', 'binary', 'byte', 'ssh-key']) {
    ajv.addFormat(format, true);
  }
  return ajv;
}

let strictAjv: Ajv | undefined;
let coercingAjv: Ajv | undefined;

function compileCached(key: string, schema: unknown, coerce = false): ValidateFunction {
  const cached = validatorCache.get(key);
  if (cached) return cached;
  const ajv = coerce ? (coercingAjv ??= makeAjv(true)) : (strictAjv ??= makeAjv(false));
  const validate = ajv.compile(toJsonSchema(schema) as Json);
  validatorCache.set(key, validate);
  return validate;
}

function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    let detail = '';
    if (e.keyword === 'enum' && isObject(e.params) && Array.isArray(e.params.allowedValues)) {
      detail = ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}), got ${JSON.stringify(e.data)}`;
    } else if (e.keyword === 'maxItems' && Array.isArray(e.data)) {
      // GitHub's own wording, e.g. for more than 50 check run annotations.
      return `${where}${e.instancePath}: No more than ${String(e.params.limit)} items are allowed; ${e.data.length} were supplied.`;
    } else if (e.keyword === 'maxLength' && typeof e.data === 'string') {
      return `${where}${e.instancePath} is too long (maximum is ${String(e.params.limit)} characters).`;
    } else if (e.keyword === 'additionalProperties' && isObject(e.params)) {
      detail = ` ('${String(e.params.additionalProperty)}')`;
    }
    return `${where}${e.instancePath} ${e.message ?? 'is invalid'}${detail}`;
  });
}

function queryToObject(query: RequestToValidate['query']): Record<string, string | string[]> {
  if (!query) return {};
  if (!(query instanceof URLSearchParams)) return { ...query };
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const previous = out[key];
    if (previous === undefined) out[key] = value;
    else out[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function jsonMediaType(content: Record<string, MediaType> | undefined): MediaType | undefined {
  if (!content) return undefined;
  return content['application/json'] ?? Object.entries(content).find(([type]) => type.includes('json'))?.[1];
}

function validateParameters(
  operation: Operation,
  location: 'path' | 'query',
  values: Record<string, unknown>,
  errors: string[],
): void {
  const declared = operation.parameters.filter((p) => p.in === location);
  for (const name of Object.keys(values)) {
    if (!declared.some((p) => p.name === name)) errors.push(`${location} parameter '${name}' is not documented`);
  }
  for (const param of declared) {
    const value = values[param.name];
    if (value === undefined || value === '') {
      if (param.required || location === 'path') errors.push(`${location} parameter '${param.name}' is required`);
      continue;
    }
    if (!param.schema) continue;
    // Query and path values arrive as strings: ajv coerces them in place, so validate a copy in a holder.
    const validate = compileCached(
      `${operation.operationId}|${location}|${param.name}`,
      { type: 'object', properties: { value: param.schema } },
      true,
    );
    const holder = { value: Array.isArray(value) ? [...value] : value };
    if (!validate(holder)) {
      const messages = describeErrors(`${location} parameter '${param.name}'`, validate.errors);
      errors.push(...messages.map((m) => m.replace(`'${param.name}'/value`, `'${param.name}'`)));
    }
  }
}

/** Finds the operation and checks path, query and JSON body against it. */
export function validateRequest(request: RequestToValidate): ValidationResult {
  const match = matchOperation(request.method, request.path);
  if (!match) {
    return {
      operationId: null,
      route: null,
      pathParams: {},
      ok: false,
      errors: [`no documented operation for ${request.method.toUpperCase()} ${restPath(request.path)}`],
    };
  }
  const operation = operationsById.get(match.operationId);
  const errors: string[] = [];
  if (operation) {
    validateParameters(operation, 'path', match.pathParams, errors);
    validateParameters(operation, 'query', queryToObject(request.query), errors);
    const media = jsonMediaType(operation.requestBody?.content);
    if (request.body === undefined) {
      if (operation.requestBody?.required) errors.push('request body is required');
    } else if (!operation.requestBody) {
      if (!(isObject(request.body) && Object.keys(request.body).length === 0)) {
        errors.push('request body is not documented for this operation');
      }
    } else if (media?.schema) {
      const validate = compileCached(`${operation.operationId}|body`, media.schema);
      if (!validate(request.body)) errors.push(...describeErrors('body', validate.errors));
    }
  }
  return { ...match, ok: errors.length === 0, errors };
}

/**
 * Checks a JSON response the stand-in is about to send against the schema GitHub
 * documents for that operation and status.
 */
export function validateResponse(operationId: string, status: number, body: unknown): ResponseValidation {
  loadOpenApi();
  const operation = operationsById.get(operationId);
  if (!operation) return { ok: false, errors: [`unknown operation ${operationId}`] };
  const response = operation.responses[String(status)] ?? operation.responses.default;
  if (!response) {
    return { ok: false, errors: [`status ${status} is not documented for ${operationId}`] };
  }
  const media = jsonMediaType(response.content);
  if (!media?.schema) {
    if (body === undefined || body === '') return { ok: true, errors: [] };
    return { ok: false, errors: [`status ${status} of ${operationId} documents no body`] };
  }
  const validate = compileCached(`${operationId}|response|${status}`, media.schema);
  if (validate(body)) return { ok: true, errors: [] };
  return { ok: false, errors: describeErrors('response', validate.errors) };
}

// The configuration reference (docs/configuration.md), generated from the zod schema of
// `.github/airlock.yml` (src/core/config.ts): every field with its type, default and the
// description the schema gives it with `.describe()`. A field without a description is an
// error, so the reference cannot silently miss a field; a test fails when the committed page
// differs from what this produces.

import type { z } from 'zod';
import { mdInline } from '../render/markdown.js';

export class ConfigDocError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigDocError';
  }
}

/** One row of the reference. */
export interface ConfigField {
  /** Dotted path: `comments.max`. */
  path: string;
  type: string;
  /** The default as YAML would write it; `none` when the field has no default. */
  default: string;
  description: string;
}

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: Schema[];
  keyType?: Schema;
  valueType?: Schema;
}
interface Schema {
  _zod: { def: Def };
  description?: string;
  minValue?: number | null;
  maxValue?: number | null;
  format?: string | null;
}

/** The schema under wrappers that only add a default, optionality or a transform. */
function unwrap(schema: Schema): { core: Schema; description: string | undefined; optional: boolean } {
  let current = schema;
  let description = schema.description;
  let optional = false;
  for (;;) {
    const def = current._zod.def;
    if (def.type === 'optional') optional = true;
    const next = def.type === 'default' || def.type === 'prefault' || def.type === 'optional' || def.type === 'nullable' ? def.innerType : def.type === 'pipe' ? def.in : undefined;
    if (!next) break;
    current = next;
    description ??= current.description;
  }
  return { core: current, description, optional };
}

function literal(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A short type for a reader of the YAML file. */
export function typeOf(schema: Schema): string {
  const { core } = unwrap(schema);
  const def = core._zod.def;
  switch (def.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number': {
      const whole = core.format === 'safeint' || core.format === 'int32';
      const lo = core.minValue;
      const hi = core.maxValue;
      const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER;
      const range = finite(lo) && finite(hi) ? ` ${lo} to ${hi}` : finite(lo) ? ` at least ${lo}` : finite(hi) ? ` at most ${hi}` : '';
      return `${whole ? 'integer' : 'number'}${range}`;
    }
    case 'enum':
      return Object.values(def.entries ?? {}).map(literal).join(' \\| ');
    case 'literal':
      return (def.values ?? []).map(literal).join(' \\| ');
    case 'array':
      return `list of ${typeOf(def.element!)}`;
    case 'union':
      return (def.options ?? []).map((o) => typeOf(o)).join(' or ');
    case 'object':
      return 'object';
    case 'record':
      return `map of ${typeOf(def.keyType!)} to ${typeOf(def.valueType!)}`;
    default:
      return def.type;
  }
}

/** A default as a YAML reader would write it. */
function yamlValue(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return '{}';
  return JSON.stringify(value);
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Every field of an object schema, depth first (a nested object's row, then its fields), with
 * defaults taken from what the schema makes of an empty file. Throws ConfigDocError naming the
 * first field without a description.
 */
export function configFields(schema: z.ZodType, source = 'src/core/config.ts'): ConfigField[] {
  const defaults = (schema as unknown as { parse(v: unknown): unknown }).parse({});
  const out: ConfigField[] = [];
  const walk = (object: Schema, prefix: string[]) => {
    for (const [key, field] of Object.entries(object._zod.def.shape ?? {})) {
      const path = [...prefix, key];
      const { core, description } = unwrap(field);
      if (!description || description.trim() === '') {
        throw new ConfigDocError(`configuration field "${path.join('.')}" has no description: add .describe('…') to it in ${source}`);
      }
      const nested = core._zod.def.type === 'object';
      out.push({
        path: path.join('.'),
        type: typeOf(field),
        default: nested ? 'see its fields' : yamlValue(valueAt(defaults, path)),
        description: description.trim(),
      });
      if (nested) walk(core, path);
    }
  };
  const root = unwrap(schema as unknown as Schema).core;
  if (root._zod.def.type !== 'object') throw new ConfigDocError(`${source}: the configuration schema is not an object`);
  walk(root, []);
  return out;
}

/** docs/configuration.md. */
export function configReference(schema: z.ZodType): string {
  const rows = configFields(schema).map(
    (f) => `| \`${f.path}\` | ${f.type} | ${f.default === 'see its fields' ? f.default : `\`${f.default.replaceAll('|', '\\|')}\``} | ${mdInline(f.description, 2000, { inTable: true })} |`,
  );
  return [
    '# Configuration reference\n',
    'Every field of `.github/airlock.yml`, with its type and default. Every field has a default: an empty file, or no file, is a valid configuration. ' +
      'How the app and the CLI find the file, and each field in depth with examples, are in [config.md](config.md).\n',
    '| Field | Type | Default | Description |\n| --- | --- | --- | --- |\n' + rows.join('\n') + '\n',
    '<!-- Generated by `npm run docs` from the schema in src/core/config.ts (its .describe() texts); edit the schema, not this page. -->\n',
  ].join('\n');
}

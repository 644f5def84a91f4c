import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/core/config.js';
import { ConfigDocError, configFields, configReference } from '../../../src/core/docs/config-reference.js';

describe('configuration reference', () => {
  it('lists every field of the schema, nested ones dotted, with type, default and description', () => {
    const fields = configFields(configSchema);
    const paths = fields.map((f) => f.path);
    const top = Object.keys(configSchema.shape);
    for (const key of top) expect(paths).toContain(key);
    expect(fields.find((f) => f.path === 'comments.max')).toEqual({
      path: 'comments.max',
      type: 'integer 0 to 100',
      default: '20',
      description: expect.stringContaining('Inline review comments per push'),
    });
    expect(fields.find((f) => f.path === 'fail_on')?.type).toBe('critical \\| high \\| medium \\| low \\| info');
    expect(fields.find((f) => f.path === 'on_error')?.default).toBe('failure');
    expect(fields.find((f) => f.path === '_extends')?.default).toBe('none');
  });

  it('fails, naming the field and the fix, when a field has no description', () => {
    const schema = z.strictObject({
      known: z.string().default('x').describe('A described field.'),
      nested: z.strictObject({ mode: z.enum(['a', 'b']).default('a') }).prefault({}).describe('A group.'),
    });
    expect(() => configFields(schema)).toThrow(ConfigDocError);
    expect(() => configFields(schema)).toThrow('configuration field "nested.mode" has no description: add .describe(\'…\') to it in src/core/config.ts');
  });

  it('handles any field shape: booleans, records, unions, optional and transformed fields', () => {
    const schema = z.strictObject({
      flag: z.boolean().default(false).describe('On or off.'),
      policies: z
        .record(z.string(), z.union([z.literal('off'), z.strictObject({ level: z.number() })]))
        .default({})
        .describe('Per path.'),
      mode: z.enum(['shadow', 'enforce']).default('enforce').transform((v) => v).describe('How it acts.'),
      when: z.array(z.enum(['blocking', 'all'])).optional().describe('When to comment.'),
    });
    expect(configFields(schema)).toEqual([
      { path: 'flag', type: 'boolean', default: 'false', description: 'On or off.' },
      { path: 'policies', type: 'map of string to off or object', default: '{}', description: 'Per path.' },
      { path: 'mode', type: 'shadow \\| enforce', default: 'enforce', description: 'How it acts.' },
      { path: 'when', type: 'list of blocking \\| all', default: 'none', description: 'When to comment.' },
    ]);
  });

  it('writes one table row per field and keeps code spans and table cells intact', () => {
    const page = configReference(configSchema);
    const rows = page.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(configFields(configSchema).length);
    expect(page).toContain('| `rules` | map of string to off or object | `{}` | Per rule id, or id prefix ending in `.*`:');
    expect(page).not.toContain('&#96;');
  });
});

import { describe, expect, it } from 'vitest';
import { hclEntry, hclLiteral, hclValues, readHcl, type HclValue } from '../../../src/core/formats/hcl.js';

function resource(text: string, type: string, name: string): HclValue | undefined {
  const byType = hclValues(readHcl(text).body, 'resource').find((v) => hclEntry(v, type));
  return hclEntry(hclEntry(byType, type)?.value, name)?.value;
}

describe('readHcl', () => {
  it('reads blocks in the *.tf.json shape, with the line of every value', () => {
    const text = `# comment
resource "aws_security_group" "web" {
  name = "web" // trailing comment
  /* block
     comment */
  ingress {
    from_port   = 22
    cidr_blocks = ["0.0.0.0/0", var.extra]
  }
  ingress {
    from_port = 443
  }
}
`;
    const sg = resource(text, 'aws_security_group', 'web');
    expect(hclLiteral(hclEntry(sg, 'name')?.value)).toBe('web');
    const ingress = hclValues(sg, 'ingress');
    expect(ingress).toHaveLength(2);
    const cidrs = hclEntry(ingress[0], 'cidr_blocks')?.value;
    expect(cidrs).toEqual({
      kind: 'array',
      line: 8,
      items: [
        { kind: 'string', line: 8, value: '0.0.0.0/0' },
        { kind: 'expr', line: 8, text: 'var.extra' },
      ],
    });
    expect(hclEntry(ingress[1], 'from_port')?.value).toEqual({ kind: 'number', line: 11, value: 443 });
  });

  it('reads function calls, objects, heredocs and keeps other expressions as text', () => {
    const text = `locals {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", "Action" : "*" }]
  })
  cond  = var.a ? "x" : "y"
  list  = [for s in var.l : upper(s)]
  tpl   = "\${var.name}-$\${literal}"
  doc   = <<-EOT
    first
      second
  EOT
  neg   = -1
}
`;
    const locals = hclValues(readHcl(text).body, 'locals')[0];
    const policy = hclEntry(locals, 'policy')?.value;
    expect(policy?.kind).toBe('call');
    const stmt = policy?.kind === 'call' ? hclEntry(policy.args[0], 'Statement')?.value : undefined;
    expect(stmt?.kind === 'array' ? hclLiteral(hclEntry(stmt.items[0], 'Action')?.value) : null).toBe('*');
    expect(hclEntry(locals, 'cond')?.value).toEqual({ kind: 'expr', line: 5, text: 'var.a ? "x" : "y"' });
    expect(hclEntry(locals, 'list')?.value.kind).toBe('expr');
    expect(hclLiteral(hclEntry(locals, 'tpl')?.value)).toBe('${var.name}-${literal}');
    expect(hclEntry(locals, 'doc')?.value).toEqual({ kind: 'string', line: 8, value: 'first\n  second\n', heredoc: { contentLine: 9 } });
    expect(hclEntry(locals, 'neg')?.value).toEqual({ kind: 'number', line: 12, value: -1 });
  });

  it('reports a syntax error with its line and goes on with the next top-level block', () => {
    const doc = readHcl('resource "a" "b" {\n  x = [1, 2\n}\n\nvariable "v" {\n  default = 1\n}\n');
    expect(doc.errors[0]?.line).toBe(3);
    expect(hclValues(doc.body, 'variable')).toHaveLength(1);
  });

  it('refuses hostile nesting without throwing', () => {
    const doc = readHcl(`x = ${'['.repeat(5000)}`);
    expect(doc.errors[0]?.message).toMatch(/nested more than 200 levels/);
  });

  it('reports an unterminated heredoc at its start', () => {
    expect(readHcl('a = 1\nb = <<EOF\nnever closed\n').errors).toEqual([{ line: 2, message: 'heredoc EOF is never closed' }]);
  });
});

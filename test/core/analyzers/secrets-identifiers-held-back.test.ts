// Held-back cases for identifiers taken for secrets (secrets.high-entropy-assignment): written
// with the variants, never used to tune the check. They record what it does today.
import { describe, expect, it } from 'vitest';
import { judgeAssignedValue } from '../../../src/core/analyzers/secrets.js';

describe('held-back: identifiers assigned to secret-looking names', () => {
  it.each(['ClientSecretCredential', '_tokenRefreshTimer', 'DefaultAzureCredential', 'createHmacSigner', 'JWTBearerGrantHandler'])(
    '%s is a name, not a secret',
    (value) => {
      expect(judgeAssignedValue(value, 'src/client.js')).toBeNull();
    },
  );

  it.each(['mQzXvBtKpLwRnYcH', 'Jx7kQ2vLp9ZtR4mW', 'TbVnKqWzXjLmPrHs'])('%s is still a secret', (value) => {
    expect(judgeAssignedValue(value, 'src/client.js')).not.toBeNull();
  });
});

// Held-back cases for identifiers and MIME boundaries taken for secrets (secrets.high-entropy-assignment): written
// with the variants, never used to tune the check. They record what it does today.
import { describe, expect, it } from 'vitest';
import { judgeAssignedValue } from '../../../../src/core/analyzers/secrets/secrets.js';

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

describe('held-back: MIME boundaries assigned to secret-looking names', () => {
  const judged = (value: string) => judgeAssignedValue(value, 'src/mailer.js') === null;
  it('what is recognised today', () => {
    expect({
      formData: judged('--------------------------515890814546601021194782'),
      appleMail: judged('Apple-Mail=_7D5E3F1A-2B4C-4D6E-8F0A-1B2C3D4E5F6A'),
      phpMailer: judged('b1_5f7c9a2e3d4b1c0a9e8f7d6c5b4a3f2e'),
      exchange: judged('_000_DB6PR0801MB2088D2E3F4A5B6C7D8E9F0A1B2C3D4eurprd08prod_'),
    }).toEqual({ formData: true, appleMail: false, phpMailer: false, exchange: false });
  });
});

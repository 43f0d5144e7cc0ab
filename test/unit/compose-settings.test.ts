import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const compose = readFileSync(new URL('docker-compose.yml', root), 'utf8');

/** Settings a deployment must be able to give without editing the Compose file: mail, sign-in, webhooks. */
const INTEGRATION = /^(SMTP_|MAIL_|DIGEST_|REMINDER_|OIDC_|SAML_|AUTH_|WEBHOOK_)/;

describe('docker-compose.yml', () => {
  const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]!);

  it('passes every mail, sign-in and webhook setting of the README through from the environment', () => {
    const integrations = documented.filter((name) => INTEGRATION.test(name));
    expect(integrations.length).toBeGreaterThan(20);
    const missing = integrations.filter((name) => !compose.includes(`  ${name}: \${${name}:-}`));
    expect(missing).toEqual([]);
  });

  it('gives the integration settings to the single process and to both replicas', () => {
    const services = compose.split(/^services:$/m)[1]!;
    const blocks = services.split(/^  (?=[a-z][\w-]*:(?: &[\w-]+)?$)/m).filter((block) => /^passerelle(-[ab])?:/.test(block));
    expect(blocks.map((block) => block.split(':')[0])).toEqual(['passerelle', 'passerelle-a', 'passerelle-b']);
    // passerelle-b takes passerelle-a's environment, which takes the integrations.
    expect(blocks[0]).toMatch(/environment:\n\s+<<: \*integrations/);
    expect(blocks[1]).toMatch(/environment: &replica-env\n\s+<<: \*integrations/);
    expect(blocks[2]).toMatch(/<<: \*replica-env/);
  });
});

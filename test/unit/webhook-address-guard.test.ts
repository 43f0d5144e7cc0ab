import { describe, expect, it } from 'vitest';
import { checkWebhookHost, isRefusedAddress } from '../../server/src/webhooks/address-guard.js';
import { signatureHeader, verifySignature } from '../../server/src/webhooks/signing.js';

describe('webhook addresses', () => {
  it('refuses loopback, private, link-local, carrier-grade NAT, multicast and unspecified addresses, IPv4 and IPv6', () => {
    for (const address of ['127.0.0.1', '127.8.8.8', '10.0.0.1', '172.16.4.2', '172.31.255.255', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', 'not an address']) {
      expect(isRefusedAddress(address), address).toBe(true);
    }
  });

  it('lets public addresses through', () => {
    for (const address of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2001:4860:4860::8888', '::ffff:93.184.216.34']) {
      expect(isRefusedAddress(address), address).toBe(false);
    }
  });

  it('judges a name by what it resolves to, unless private addresses are allowed', async () => {
    expect(await checkWebhookHost('https://localhost/hooks', false)).toEqual({ ok: false, address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    expect(await checkWebhookHost('https://[::1]/hooks', false)).toEqual({ ok: false, address: '::1' });
    expect(await checkWebhookHost('https://localhost/hooks', true)).toEqual({ ok: true });
  });
});

describe('webhook signatures', () => {
  it('verifies a signature made with the same secret over the same timestamp and body, and nothing else', () => {
    const now = 1_767_000_000;
    const header = signatureHeader('whsec_a', now, '{"event":"ping"}');
    expect(header).toMatch(/^t=1767000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_a', header, '{"event":"ping"}', now)).toBe(true);
    expect(verifySignature('whsec_b', header, '{"event":"ping"}', now)).toBe(false);
    expect(verifySignature('whsec_a', header, '{"event":"pong"}', now)).toBe(false);
    expect(verifySignature('whsec_a', header.replace('t=1767000000', 't=1767000001'), '{"event":"ping"}', now)).toBe(false);
    // A delivery replayed later than the tolerance is refused.
    expect(verifySignature('whsec_a', header, '{"event":"ping"}', now + 301)).toBe(false);
  });
});

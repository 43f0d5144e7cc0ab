/**
 * Which addresses a webhook may call. Unless `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` is set, only public
 * unicast addresses: never loopback, private networks (RFC 1918, unique local), link-local (which
 * holds cloud metadata services), carrier-grade NAT, multicast or unspecified ones. The check runs
 * on the address the connection is actually made to (a `lookup` for `http.request`), so a host
 * name that resolves differently between the check and the connection (DNS rebinding) gains nothing.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  refused.addSubnet(network, prefix, 'ipv4');
// IPv4-mapped addresses (::ffff:a.b.c.d) are judged as the IPv4 address they carry (`isRefusedAddress`):
// a rule for their whole range here would also catch every IPv4 address, as BlockList checks those
// against IPv6 rules in their mapped form.
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  refused.addSubnet(network, prefix, 'ipv6');

/** An address a webhook may not call, with the address in question. */
export class AddressRefusedError extends Error {
  constructor(readonly address: string) {
    super(`webhook address refused: ${address}`);
    this.name = 'AddressRefusedError';
  }
}

/** Whether `address` (an IP) is one a webhook may not call. */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return refused.check(mapped[1], 'ipv4');
  return refused.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for `http.request` that resolves as usual and refuses what a webhook may not reach. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const blocked = allowPrivate ? undefined : list.find((entry) => isRefusedAddress(entry.address));
      if (blocked) return callback(new AddressRefusedError(blocked.address) as NodeJS.ErrnoException, []);
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** Checks a webhook's URL when it is registered: resolves its host now and refuses a private one. */
export function checkWebhookHost(url: string, allowPrivate: boolean): Promise<{ ok: true } | { ok: false; address: string | null }> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    guardedLookup(allowPrivate)(host, {}, (error) => {
      if (!error) resolve({ ok: true });
      else resolve({ ok: false, address: error instanceof AddressRefusedError ? error.address : null });
    });
  });
}

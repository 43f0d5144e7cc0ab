/** Sends one signed delivery over HTTP(S), to the guarded address only, with a time limit. */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { WEBHOOK_HEADERS } from '@passerelle/shared';
import { AddressRefusedError, guardedLookup, isRefusedAddress } from './address-guard.js';
import { signatureHeader } from './signing.js';

/** What one try gave: the answer's status, or why there was none. */
export type SendResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export interface SendOptions {
  allowPrivate: boolean;
  /** Longest wait for the whole answer (default 10 s). */
  timeoutMs?: number;
}

/**
 * POSTs `body` to `url`, signed with `secret`. A 2xx answer is a delivery; anything else, a
 * redirect included (it is never followed: the address would no longer be the one the administrator
 * entered), a refused address, a network error or the time limit is a failed try.
 */
export function sendDelivery(target: { url: string; secret: string }, delivery: { id: string; event: string; body: string }, options: SendOptions): Promise<SendResult> {
  const url = new URL(target.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An IP written in the URL is connected to without a lookup: judged here.
  if (!options.allowPrivate && isIP(host) && isRefusedAddress(host)) return Promise.resolve({ ok: false, status: null, error: `address refused: ${host}` });
  const timestamp = Math.floor(Date.now() / 1000);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(options.allowPrivate) as never,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Passerelle-Webhooks/1',
          [WEBHOOK_HEADERS.event]: delivery.event,
          [WEBHOOK_HEADERS.delivery]: delivery.id,
          [WEBHOOK_HEADERS.signature]: signatureHeader(target.secret, timestamp, delivery.body),
        },
      },
      (response) => {
        // The answer's body is not kept: only its status says whether the delivery arrived.
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` });
        });
        response.on('error', (error) => resolve({ ok: false, status: null, error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ ok: false, status: null, error: error instanceof AddressRefusedError ? `address refused: ${error.address}` : error.message }));
    request.end(delivery.body);
  });
}

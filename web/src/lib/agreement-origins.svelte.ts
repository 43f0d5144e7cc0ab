/**
 * Which proposal each of the workspace's agreements came from (a proposal names the agreements it
 * led to, on its board), as far as this person can read the boards. Read when a page that shows
 * agreements opens; a failure leaves agreements without their origin, never the page broken.
 */
import type { AgreementOrigin, AgreementOriginsResponse } from '@passerelle/shared';
import { request } from './api.js';

class AgreementOrigins {
  #byAgreement = $state.raw<Map<string, AgreementOrigin[]>>(new Map());

  /** The proposals an agreement came from (usually one). */
  of(agreementId: string): AgreementOrigin[] {
    return this.#byAgreement.get(agreementId) ?? [];
  }

  /** Reads them again. */
  async load(): Promise<void> {
    try {
      const { origins } = await request<AgreementOriginsResponse>('GET', '/api/proposals/agreement-links');
      const byAgreement = new Map<string, AgreementOrigin[]>();
      for (const origin of origins) byAgreement.set(origin.agreementId, [...(byAgreement.get(origin.agreementId) ?? []), origin]);
      this.#byAgreement = byAgreement;
    } catch {
      // The agreements still show; only where they came from is missing.
    }
  }
}

/** The signed-in visit's agreement origins. */
export const agreementOrigins = new AgreementOrigins();

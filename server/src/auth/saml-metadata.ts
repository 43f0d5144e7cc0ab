import { DOMParser } from '@xmldom/xmldom';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** What Passerelle needs of an identity provider, read from its SAML metadata. */
export interface IdpMetadata {
  entityId: string;
  /** Where a sign-in request is sent (HTTP-Redirect binding). */
  signOnUrl: string;
  /** Where a sign-out request is sent (HTTP-Redirect binding); null when the provider offers none. */
  signOutUrl: string | null;
  /** PEM certificates whose keys may sign the provider's answers (several during a key rollover). */
  signingCerts: string[];
}

/** Metadata that cannot be used, with the reason for the log. */
export class IdpMetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdpMetadataError';
  }
}

/**
 * Reads one identity provider out of SAML metadata: a single `EntityDescriptor`, or a federation's
 * aggregate (`EntitiesDescriptor`, thousands of entities for RENATER or eduGAIN) from which
 * `entityId` picks one. Only SAML 2.0 identity providers count; a provider without a signing
 * certificate is refused, since its assertions could not be verified.
 */
export function parseIdpMetadata(xml: string, entityId: string | null): IdpMetadata {
  const errors: string[] = [];
  const document = new DOMParser({ errorHandler: { warning: () => undefined, error: (message) => errors.push(String(message)), fatalError: (message) => errors.push(String(message)) } }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !document.documentElement) throw new IdpMetadataError(`metadata is not well-formed XML: ${errors[0] ?? 'empty'}`);
  const providers = elements(document.documentElement, MD, 'EntityDescriptor', true)
    .map((entity) => ({ entity, descriptor: elements(entity, MD, 'IDPSSODescriptor').find((idp) => (idp.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL)) }))
    .filter((candidate): candidate is { entity: Element; descriptor: Element } => candidate.descriptor !== undefined);
  const chosen = entityId ? providers.filter(({ entity }) => entity.getAttribute('entityID') === entityId) : providers;
  if (chosen.length === 0) throw new IdpMetadataError(entityId ? `no SAML 2.0 identity provider ${entityId} in the metadata` : 'no SAML 2.0 identity provider in the metadata');
  if (chosen.length > 1) throw new IdpMetadataError(`the metadata lists ${chosen.length} identity providers: set SAML_IDP_ENTITY_ID to pick one`);
  const { entity, descriptor } = chosen[0]!;
  const signOnUrl = redirectLocation(descriptor, 'SingleSignOnService');
  if (!signOnUrl) throw new IdpMetadataError('the identity provider has no SingleSignOnService with the HTTP-Redirect binding');
  const signingCerts = elements(descriptor, MD, 'KeyDescriptor')
    // A key without `use` serves both signing and encryption (xmldom gives '' for an absent attribute).
    .filter((key) => (key.getAttribute('use') || 'signing') === 'signing')
    .flatMap((key) => elements(key, DS, 'X509Certificate', true))
    .map((certificate) => toPem(certificate.textContent ?? ''))
    .filter((pem): pem is string => pem !== null);
  if (signingCerts.length === 0) throw new IdpMetadataError('the identity provider publishes no signing certificate');
  return { entityId: entity.getAttribute('entityID') ?? '', signOnUrl, signOutUrl: redirectLocation(descriptor, 'SingleLogoutService'), signingCerts };
}

function redirectLocation(descriptor: Element, service: string): string | null {
  const endpoint = elements(descriptor, MD, service).find((element) => element.getAttribute('Binding') === REDIRECT_BINDING);
  const location = endpoint?.getAttribute('Location')?.trim();
  return location ? location : null;
}

/** Child elements by namespace and local name; `deep` searches every descendant, and the element itself. */
function elements(parent: Element, namespace: string, localName: string, deep = false): Element[] {
  if (deep) {
    const self = parent.namespaceURI === namespace && parent.localName === localName ? [parent] : [];
    return [...self, ...Array.from(parent.getElementsByTagNameNS(namespace, localName))];
  }
  return Array.from(parent.childNodes).filter((node): node is Element => node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === localName);
}

/** A base64 certificate body as PEM; null when it is not base64. */
function toPem(body: string): string | null {
  const compact = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(compact)) return null;
  return `-----BEGIN CERTIFICATE-----\n${compact.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
}

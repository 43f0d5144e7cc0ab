import { describe, expect, it } from 'vitest';
import type { Profile } from '@node-saml/node-saml';
import { samlIdentityOf } from '../../server/src/auth/saml-attributes.js';
import { IdpMetadataError, parseIdpMetadata } from '../../server/src/auth/saml-metadata.js';
import { loadConfig } from '../../server/src/config.js';

const CERT_BODY = 'MIIBszCCAVmgAwIBAgIUXj0dGVzdA==';

function idpEntity(entityId: string, options: { sso?: boolean; slo?: boolean; use?: string | null; protocol?: string } = {}): string {
  const use = options.use === undefined ? ' use="signing"' : options.use === null ? '' : ` use="${options.use}"`;
  return `<md:EntityDescriptor entityID="${entityId}">
    <md:IDPSSODescriptor protocolSupportEnumeration="${options.protocol ?? 'urn:oasis:names:tc:SAML:2.0:protocol'}">
      <md:KeyDescriptor${use}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
        ${CERT_BODY}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      ${options.slo === false ? '' : `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${entityId}/slo"/>`}
      ${options.sso === false ? '' : `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${entityId}/sso"/>`}
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${entityId}/post"/>
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>`;
}

const NS = 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
const single = (entity: string) => entity.replace('<md:EntityDescriptor ', `<md:EntityDescriptor ${NS} `);
const aggregate = (...entities: string[]) => `<md:EntitiesDescriptor ${NS} Name="https://federation.renater.fr/">${entities.join('')}</md:EntitiesDescriptor>`;
const sp = `<md:EntityDescriptor entityID="https://sp.example/shibboleth"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;

describe('reading an identity provider’s SAML metadata', () => {
  it('takes its sign-in and sign-out addresses (HTTP-Redirect) and its signing certificate as PEM', () => {
    const idp = parseIdpMetadata(single(idpEntity('https://idp.ecole.fr/idp/shibboleth')), null);
    expect(idp).toEqual({
      entityId: 'https://idp.ecole.fr/idp/shibboleth',
      signOnUrl: 'https://idp.ecole.fr/idp/shibboleth/sso',
      signOutUrl: 'https://idp.ecole.fr/idp/shibboleth/slo',
      signingCerts: [`-----BEGIN CERTIFICATE-----\n${CERT_BODY}\n-----END CERTIFICATE-----`],
    });
  });

  it('picks the configured provider out of a federation’s aggregate, and asks for one when there are several', () => {
    const metadata = aggregate(sp, idpEntity('https://idp.univ-a.fr/idp'), idpEntity('https://idp.ecole.fr/idp', { slo: false }));
    expect(parseIdpMetadata(metadata, 'https://idp.ecole.fr/idp')).toMatchObject({ entityId: 'https://idp.ecole.fr/idp', signOutUrl: null });
    expect(() => parseIdpMetadata(metadata, null)).toThrow(/2 identity providers: set SAML_IDP_ENTITY_ID/);
    expect(() => parseIdpMetadata(metadata, 'https://idp.absent.fr/idp')).toThrow(/no SAML 2.0 identity provider https:\/\/idp.absent.fr\/idp/);
    // A service provider alone is no identity provider.
    expect(parseIdpMetadata(aggregate(sp, idpEntity('https://idp.ecole.fr/idp')), null).entityId).toBe('https://idp.ecole.fr/idp');
  });

  it('counts a key without `use` as a signing key, and not one for encryption only', () => {
    expect(parseIdpMetadata(single(idpEntity('https://idp.ecole.fr/idp', { use: null })), null).signingCerts).toHaveLength(1);
    expect(() => parseIdpMetadata(single(idpEntity('https://idp.ecole.fr/idp', { use: 'encryption' })), null)).toThrow(/no signing certificate/);
  });

  it('refuses metadata it cannot use, saying why', () => {
    expect(() => parseIdpMetadata('<md:EntityDescriptor', null)).toThrow(IdpMetadataError);
    expect(() => parseIdpMetadata(single(idpEntity('https://idp.ecole.fr/idp', { sso: false })), null)).toThrow(/HTTP-Redirect/);
    expect(() => parseIdpMetadata(single(idpEntity('https://idp.ecole.fr/idp', { protocol: 'urn:oasis:names:tc:SAML:1.1:protocol' })), null)).toThrow(/no SAML 2.0 identity provider/);
  });
});

function profile(attributes: Record<string, string | string[]>): Profile {
  return { issuer: 'https://idp.ecole.fr/idp', nameID: '_transient-1', nameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', attributes };
}

describe('who a SAML assertion says signed in', () => {
  const GROUPS = ['isMemberOf', 'eduPersonAffiliation'];

  it('reads eduPerson attributes by their urn:oid names: mail, displayName, principal name, groups and affiliations', () => {
    const identity = samlIdentityOf(
      profile({
        'urn:oid:0.9.2342.19200300.100.1.3': ' Camille.Martin@Ecole.fr ',
        'urn:oid:2.16.840.1.113730.3.1.241': 'Camille Martin',
        'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'cmartin@ecole.fr',
        'urn:oid:1.3.6.1.4.1.5923.1.5.1.1': ['cn=dri,ou=groups,dc=ecole,dc=fr', 'cn=tous,ou=groups,dc=ecole,dc=fr'],
        'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': 'staff',
      }),
      GROUPS,
      'https://idp.ecole.fr/idp',
    );
    expect(identity).toEqual({ issuer: 'https://idp.ecole.fr/idp', subject: 'cmartin@ecole.fr', email: 'camille.martin@ecole.fr', name: 'Camille Martin', groups: ['cn=dri,ou=groups,dc=ecole,dc=fr', 'cn=tous,ou=groups,dc=ecole,dc=fr', 'staff'] });
  });

  it('names a person from given name and surname, else cn, else the address; a transient NameID is no lasting subject, a persistent one is', () => {
    const base = { 'urn:oid:0.9.2342.19200300.100.1.3': 'dp@ecole.fr' };
    const idp = 'https://idp.ecole.fr/idp';
    expect(samlIdentityOf(profile({ ...base, 'urn:oid:2.5.4.42': 'Dominique', 'urn:oid:2.5.4.4': 'Petit' }), GROUPS, idp)).toMatchObject({ name: 'Dominique Petit', subject: null, groups: [] });
    expect(samlIdentityOf(profile({ ...base, 'urn:oid:2.5.4.3': 'D. Petit' }), GROUPS, idp)?.name).toBe('D. Petit');
    expect(samlIdentityOf(profile(base), GROUPS, idp)?.name).toBe('dp');
    const persistent = { ...profile(base), nameID: 'a8f3e1', nameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' };
    expect(samlIdentityOf(persistent, GROUPS, idp)).toMatchObject({ issuer: idp, subject: 'a8f3e1' });
  });

  it('reads Entra ID and ADFS claim names, and groups from any attribute named in the settings', () => {
    const identity = samlIdentityOf(
      profile({
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'lea@ecole.fr',
        'http://schemas.microsoft.com/identity/claims/displayname': 'Léa Girard',
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['0b6f-admissions'],
      }),
      ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
      'https://sts.windows.net/tenant/',
    );
    expect(identity).toMatchObject({ email: 'lea@ecole.fr', name: 'Léa Girard', groups: ['0b6f-admissions'] });
  });

  it('has no identity without an e-mail address: an eduPersonPrincipalName is not a mailbox', () => {
    expect(samlIdentityOf(profile({ 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'cmartin@ecole.fr' }), GROUPS, 'https://idp.ecole.fr/idp')).toBeNull();
    expect(samlIdentityOf(profile({ 'urn:oid:0.9.2342.19200300.100.1.3': 'not an address' }), GROUPS, 'https://idp.ecole.fr/idp')).toBeNull();
  });
});

describe('SAML settings (SAML_*)', () => {
  const saml = { SAML_IDP_METADATA_URL: 'https://idp.ecole.fr/idp/shibboleth', PUBLIC_URL: 'https://passerelle.ecole.fr' };

  it('is off unless the identity provider’s metadata is given, by URL or file but not both', () => {
    expect(loadConfig({}).saml).toBeNull();
    expect(loadConfig(saml).saml).toMatchObject({
      idpMetadata: { url: 'https://idp.ecole.fr/idp/shibboleth' },
      idpEntityId: null,
      spEntityId: 'https://passerelle.ecole.fr/api/auth/saml/metadata',
      displayName: 'SAML',
      spKeyFiles: null,
      groupsAttributes: ['isMemberOf', 'eduPersonAffiliation'],
      groupMap: null,
      requireKnownGroup: false,
      metadataRefreshHours: 24,
    });
    expect(loadConfig({ SAML_IDP_METADATA_FILE: 'idp.xml', SAML_SP_ENTITY_ID: 'https://passerelle.ecole.fr/sp' }).saml?.idpMetadata).toEqual({ file: expect.stringMatching(/\/idp\.xml$/) });
    expect(() => loadConfig({ ...saml, SAML_IDP_METADATA_FILE: 'idp.xml' })).toThrow(/SAML_IDP_METADATA_FILE: set SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE, not both/);
  });

  it('refuses metadata over plain HTTP except on this machine, and needs a name for Passerelle', () => {
    expect(() => loadConfig({ ...saml, SAML_IDP_METADATA_URL: 'http://idp.ecole.fr/metadata' })).toThrow(/SAML_IDP_METADATA_URL/);
    expect(loadConfig({ ...saml, SAML_IDP_METADATA_URL: 'http://127.0.0.1:8080/metadata' }).saml).not.toBeNull();
    expect(() => loadConfig({ SAML_IDP_METADATA_URL: saml.SAML_IDP_METADATA_URL })).toThrow(/SAML_SP_ENTITY_ID/);
  });

  it('reads the group map as OIDC_GROUP_MAP does, and refuses half a key pair or a required group without a map', () => {
    const config = loadConfig({ ...saml, SAML_GROUP_MAP: '{"cn=dri,ou=groups,dc=ecole,dc=fr": ["sri", "admin"], "faculty": "research, member"}', SAML_GROUPS_ATTRIBUTES: 'isMemberOf, eduPersonEntitlement' });
    expect(Object.fromEntries(config.saml!.groupMap!)).toEqual({ 'cn=dri,ou=groups,dc=ecole,dc=fr': { departments: ['sri'], isAdmin: true }, faculty: { departments: ['research'], isAdmin: false } });
    expect(config.saml!.groupsAttributes).toEqual(['isMemberOf', 'eduPersonEntitlement']);
    expect(() => loadConfig({ ...saml, SAML_GROUP_MAP: '{"faculty": ["labs"]}' })).toThrow(/SAML_GROUP_MAP.*labs/);
    expect(() => loadConfig({ ...saml, SAML_SP_PRIVATE_KEY_FILE: 'sp.key' })).toThrow(/SAML_SP_CERT_FILE/);
    expect(() => loadConfig({ ...saml, SAML_REQUIRE_GROUP: 'true' })).toThrow(/SAML_REQUIRE_GROUP/);
  });

  it('lets AUTH_REQUIRE_SSO stand on SAML alone', () => {
    const admin = { ADMIN_EMAIL: 'secours@ecole.fr', ADMIN_PASSWORD: 'long enough password' };
    expect(() => loadConfig({ ...admin, AUTH_REQUIRE_SSO: 'true' })).toThrow(/AUTH_REQUIRE_SSO/);
    expect(loadConfig({ ...saml, ...admin, AUTH_REQUIRE_SSO: 'true' }).requireSso).toEqual({ breakGlassEmail: 'secours@ecole.fr' });
  });
});

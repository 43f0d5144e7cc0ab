import type { GroupGrant } from './config-group-map.js';

/** SAML 2.0 single sign-on settings (`SAML_*`), for schools that federate through Shibboleth (RENATER, eduGAIN). */
export interface SamlConfig {
  /**
   * `SAML_IDP_METADATA_URL` (https, or http on loopback only) or `SAML_IDP_METADATA_FILE`: the
   * identity provider's metadata, giving its sign-in and sign-out addresses and signing certificates.
   * Read at the first sign-in and again every `SAML_METADATA_REFRESH_HOURS`, so a certificate rollover
   * published by the provider is followed; a failed refresh keeps the last good copy.
   */
  idpMetadata: { url: string } | { file: string };
  /** `SAML_IDP_ENTITY_ID` (default: the only identity provider in the metadata): picks one in a federation's aggregate. */
  idpEntityId: string | null;
  /** `SAML_METADATA_REFRESH_HOURS` (default 24): how long a read of the metadata is trusted. */
  metadataRefreshHours: number;
  /** `SAML_SP_ENTITY_ID` (default `PUBLIC_URL/api/auth/saml/metadata`): Passerelle's name at the federation; never change it once registered. */
  spEntityId: string;
  /** `SAML_DISPLAY_NAME` (default `SAML`): shown on the button, "Sign in with <name>". */
  displayName: string;
  /**
   * `SAML_SP_PRIVATE_KEY_FILE` and `SAML_SP_CERT_FILE` (default unset, set together): PEM files of
   * Passerelle's own key pair. Set, sign-in and sign-out requests are signed, the certificate is
   * published in the metadata, and assertions encrypted to it are accepted. Federations such as
   * RENATER ask for one; most identity providers refuse unsigned sign-out requests.
   */
  spKeyFiles: { privateKey: string; cert: string } | null;
  /**
   * `SAML_GROUPS_ATTRIBUTES` (default `isMemberOf,eduPersonAffiliation`): the attributes whose values
   * are the person's groups, by eduPerson friendly name or full attribute name (`urn:oid:...`, or a
   * claim URI for Entra ID or ADFS). Values of every listed attribute count.
   */
  groupsAttributes: string[];
  /** `SAML_GROUP_MAP` (default unset): as `OIDC_GROUP_MAP`, from a group or affiliation value to departments, `admin` and `member`. */
  groupMap: Map<string, GroupGrant> | null;
  /** `SAML_REQUIRE_GROUP` (default false): refuse a person none of whose groups is in `SAML_GROUP_MAP`. */
  requireKnownGroup: boolean;
  /**
   * `SAML_STATE_SECRET` (default: derived from the SP private key, else random per process): the
   * key sealing the short-lived sign-in cookie. Processes behind one balancer share it.
   */
  stateSecret: string | null;
}

/** English messages of single sign-on. Keys are shared with `sso.fr.ts`. */
export const enSso = {
  'error.sso_required': 'This workspace signs in through single sign-on: use the “Sign in with…” button of the sign-in page instead of a password.',
  'sso.signInWith': 'Sign in with {provider}',
  'sso.orPassword': 'or with a password',
  'sso.passwordBreakGlass': 'Passwords are kept for the emergency administrator only.',
  'sso.signedOut': 'You are signed out of Passerelle.',
  'sso.endSession': 'Sign out of {provider} too',
  'sso.refused.state': 'This sign-in link has expired or was already used. Start again with the button below.',
  'sso.refused.failed': 'Your identity provider’s answer could not be verified. Start again; if it happens again, tell your administrator.',
  'sso.refused.unavailable': 'Your identity provider cannot be reached right now. Try again in a moment.',
  'sso.refused.no_email': 'Your identity provider did not give a verified e-mail address, which Passerelle needs to find your account.',
  'sso.refused.no_group': 'Your account is not in any group that gives access to Passerelle. Ask your administrator to add you to one.',
  'sso.refused.deactivated': 'Your Passerelle account is deactivated. Ask an administrator to reactivate it.',
} as const;

/** The credentials the e2e suite starts Touchline with (see playwright.config.ts). */
export const e2eCredentials = {
  adminEmail: 'e2e-admin@example.com',
  adminPassword: 'e2e password that is long',
  adminToken: 'tl_admin_e2e_token_0123456789',
  writeKey: 'tl_write_e2e_key_0123456789',
};

export { type AdapterEnvironment, adapterFromSettings } from './build.js';
export { createSettingsCipher, type SettingsCipher, SettingsDecryptError } from './cipher.js';
export {
  adaptersOfChannel,
  type ChannelAdapterKind,
  type ChannelSettings,
  channelNames,
  channelSettingsSchema,
  requiredSecretsOf,
  secretFieldsOf,
} from './schema.js';
export {
  joinSecrets,
  keepStoredSecrets,
  maskSecret,
  maskSecrets,
  missingSecrets,
  type SecretValues,
  splitSecrets,
} from './secrets.js';
export { type SettingsIssue, validateChannelSettings } from './validate.js';

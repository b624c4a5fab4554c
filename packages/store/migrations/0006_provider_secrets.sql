-- Credential values of provider settings (header values, fields named like a credential), sealed like the API key;
-- `settings` keeps only masks in their place (see model-secrets.ts).
ALTER TABLE provider_credentials ADD COLUMN secrets_enc text;

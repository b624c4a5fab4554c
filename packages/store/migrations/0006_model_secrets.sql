-- Model credentials sealed at rest (AES-256-GCM under the master key, like provider_credentials.api_key_enc):
-- a write-only per-model API key, and the credential values of `settings` (header values, fields named like a
-- credential). `settings` keeps only masks in their place.
ALTER TABLE models ADD COLUMN api_key_enc text;
ALTER TABLE models ADD COLUMN api_key_hint text;
ALTER TABLE models ADD COLUMN secrets_enc text;

export { DEFAULT_CONFIG, defaultConfig, type EngineConfig, type ExporterConfig, type ExportField } from './defaults.js';
export { loadConfig, loadConfigWithInfo, configFiles, ConfigError, type LoadedConfig } from './load.js';
export { mergeConfig } from './merge.js';
export { validateConfig, type Problem } from './validate.js';
export { redactSecrets, REDACTED } from './redact.js';

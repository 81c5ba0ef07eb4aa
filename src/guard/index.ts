/**
 * method-guard's public entry: what `import … from 'method-guard'` gives.
 * Runtime code only (Web APIs, no `node:`): it is bundled into a Worker.
 */
export {
  ConfigError,
  type GuardOptions,
  type LogLevel,
  SETTINGS,
  type SettingRow,
  type UnmatchedPolicy,
} from './config.ts';
export { createGuard, type Guard, type SiteRouter } from './guard.ts';
export { under } from './under.ts';

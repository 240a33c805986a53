/**
 * @allot/domain: the pure credit rules of docs/credit-rules.md. No I/O, no clock, no process.env:
 * every function takes what it needs (including "now") as arguments.
 */
export * from './result';
export * from './domain-error';
export * from './period';
export * from './license-catalog';
export * from './rate-card';
export * from './capacity';
export * from './allocation';
export * from './stage';
export * from './tenant-period-state';
export * from './environment-usage';
export * from './copilot-setup';
export * from './draw';
export * from './access';
export * from './event-time';
export * from './trial';
export * from './forecast';
export * from './ids';
export * from './format-credits';
export * from './copilot-amount';
export * from './copilot-rate-card';
export * from './licensing';
export * from './dual-access';
export * from './source-limit';
export * from './reservation';

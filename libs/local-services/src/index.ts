/** @allot/local-services: FerretDB and Redis for development, tests and benchmarks (one implementation). */
export * from './free-port';
export * from './ferretdb-build';
export * from './go-tool-build';
export * from './ferretdb-instance';
export * from './redis-instance';
export * from './dev-services';
export * from './test-services';
export * from './process-tree';
export * from './local-services.settings';
export * from './dev-admin-key';
export * from './go-tool-build';
export { dropPostgresDatabase } from './postgres-admin';

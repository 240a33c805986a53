/** @allot/logging: one line per event, key=value fields, warnings and errors on stderr. */
export * from './line-logger';

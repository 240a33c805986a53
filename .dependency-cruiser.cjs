/**
 * The dependency rule of docs/contributing.md (rule 1), checked on every `npm test`:
 * libs/domain has no I/O and imports nothing but itself; libs never import apps; apps never import each other;
 * no cycles.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to reason about one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'libs/domain holds the pure credit rules: no node built-ins, no packages, no other libs.',
      from: { path: '^libs/domain/src/' },
      to: { pathNot: '^libs/domain/src/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-never-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'only-core-talks-to-mongodb',
      severity: 'error',
      comment: 'The core owns all data; the scheduler and the bot are gRPC clients.',
      from: { pathNot: '^(apps/credit-core|libs/testing|tools)/' },
      to: { path: 'node_modules/mongodb/' },
    },
    {
      name: 'grpc-stays-out-of-domain',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: 'node_modules/@grpc/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|tmp|node_modules)/|libs/contracts/src/gen' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

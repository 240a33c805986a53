/** @allot/contracts: TypeScript generated from proto/ by buf + ts-proto (see `npm run generate`). */
export * from './gen/credits/v1/common';
export * from './gen/credits/v1/admin';
export * from './gen/credits/v1/consumption';
export * from './gen/credits/v1/reporting';
export * from './gen/credits/v1/alert';
export * from './gen/credits/v1/maintenance';
export { Timestamp } from './gen/google/protobuf/timestamp';
export { Status as RpcStatus } from './gen/google/rpc/status';
export { BadRequest, BadRequest_FieldViolation, ErrorInfo } from './gen/google/rpc/error_details';
export { Any } from './gen/google/protobuf/any';
export { descriptorSets } from './gen/descriptor-sets';

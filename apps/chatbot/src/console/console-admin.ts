/** In the console, the operator counts as an admin when the key they run it with has the ADMIN role. */
import { Role } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';

/** Asks the core who the key is (AdminService.GetCaller); any failure means "not an admin". */
export async function consoleKeyIsAdmin(core: CoreClient): Promise<boolean> {
  try {
    const me = await core.admin.getCaller({});
    return me.role === Role.ROLE_ADMIN;
  } catch {
    return false;
  }
}

import type {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import type { GpuPoolUser } from '../services/GpuPool/types';

/** Resolves the signed-in caller of a request (users only). */
export function gpuPoolUserResolver(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  platformTeam: string;
}) {
  return async (req: Request): Promise<GpuPoolUser> => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const info = await options.userInfo.getUserInfo(credentials);
    const ownershipEntityRefs = info.ownershipEntityRefs.map(r =>
      r.toLocaleLowerCase('en-US'),
    );
    return {
      credentials,
      userEntityRef: info.userEntityRef.toLocaleLowerCase('en-US'),
      ownershipEntityRefs,
      isPlatformTeam: ownershipEntityRefs.includes(options.platformTeam),
      httpRequest: req,
    };
  };
}

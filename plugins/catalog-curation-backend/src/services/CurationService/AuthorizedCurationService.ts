import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CurationReport,
  TeamCountsHistory,
  catalogCurationReadPermission,
} from '@internal/plugin-catalog-curation-common';
import { CurationService } from './CurationService';

/** Admits only callers the policy allows to curate; fails closed. */
export class AuthorizedCurationService implements CurationService {
  readonly #inner: CurationService;
  readonly #permissions: PermissionsService;

  static create(options: {
    inner: CurationService;
    permissions: PermissionsService;
  }): AuthorizedCurationService {
    return new AuthorizedCurationService(options);
  }

  private constructor(options: {
    inner: CurationService;
    permissions: PermissionsService;
  }) {
    this.#inner = options.inner;
    this.#permissions = options.permissions;
  }

  async getReport(credentials: BackstageCredentials): Promise<CurationReport> {
    await this.#authorize(credentials);
    return this.#inner.getReport(credentials);
  }

  async unregisterOrphan(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    await this.#authorize(credentials);
    await this.#inner.unregisterOrphan(entityRef, credentials);
  }

  async getHistory(
    days: number,
    credentials: BackstageCredentials,
  ): Promise<TeamCountsHistory> {
    await this.#authorize(credentials);
    return this.#inner.getHistory(days, credentials);
  }

  async #authorize(credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.#permissions.authorize(
      [{ permission: catalogCurationReadPermission }],
      { credentials },
    );
    if (decision?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Catalog curation is for the platform team');
    }
  }
}

import { LoggerService } from '@backstage/backend-plugin-api';
import { GpuRequestStatus } from '@internal/plugin-gpu-pool-common';
import { RequestRow } from '../../database/GpuPoolStore';

/** What changed, for signals, notifications and the reconciler. */
export interface GpuPoolChange {
  request: RequestRow;
  from?: GpuRequestStatus;
  to: GpuRequestStatus;
}

/** Called after every committed change. */
export type GpuPoolChangeListener = (changes: GpuPoolChange[]) => void;

/**
 * Fans committed changes out to listeners; a failing listener is logged and
 * never undoes or blocks the change.
 */
export class GpuPoolChanges {
  private readonly listeners: GpuPoolChangeListener[] = [];

  constructor(private readonly logger: LoggerService) {}

  onChange(listener: GpuPoolChangeListener) {
    this.listeners.push(listener);
  }

  emit(changes: GpuPoolChange[]) {
    if (changes.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (error) {
        this.logger.warn(`GPU pool change listener failed: ${error}`);
      }
    }
  }
}

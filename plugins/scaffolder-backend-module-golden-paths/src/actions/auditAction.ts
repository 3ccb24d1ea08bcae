import { AuditorService } from '@backstage/backend-plugin-api';

type Meta = NonNullable<Parameters<AuditorService['createEvent']>[0]['meta']>;

/**
 * Runs one state change of a golden-path action as an auditor event: who
 * (the task's user), what it touched, and how it ended. A failure is
 * recorded with its error and rethrown.
 */
export async function auditAction<T>(
  options: {
    auditor: AuditorService;
    eventId: string;
    severityLevel?: 'low' | 'medium' | 'high' | 'critical';
    /** Entity ref of the user the task runs for. */
    actor: string | undefined;
    target: Meta;
    /** What to add to the success event from the result. */
    outcome?: (result: T) => Meta;
  },
  fn: () => Promise<T>,
): Promise<T> {
  const event = await options.auditor.createEvent({
    eventId: options.eventId,
    severityLevel: options.severityLevel ?? 'medium',
    meta: {
      actor: options.actor ?? 'unknown',
      target: options.target,
    },
  });
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await event.fail({
      error: error as Error,
      meta: { outcome: 'failure' },
    });
    throw error;
  }
  await event.success({
    meta: { outcome: 'success', ...(options.outcome?.(result) ?? {}) },
  });
  return result;
}

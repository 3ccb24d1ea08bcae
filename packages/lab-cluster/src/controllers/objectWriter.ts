// Writes of the lab's controllers go through the same ClusterApi paths as
// client requests (validation, admission, managedFields, watch events), under
// the controller's own field manager.
import type { ClusterApi } from '../api/handler';
import { clone } from '../api/patch';
import { ResourceType } from '../api/resources';

export class ObjectWriter {
  constructor(private readonly api: ClusterApi, readonly manager: string) {}

  private rtOf(obj: any): ResourceType {
    const rt = this.api.registry.byKind(obj.apiVersion, obj.kind);
    if (!rt)
      throw new Error(`no resource type for ${obj.apiVersion}/${obj.kind}`);
    return rt;
  }

  create(obj: any): any {
    return this.api.create(
      this.rtOf(obj),
      obj.metadata?.namespace,
      obj,
      this.manager,
    );
  }

  /** Replaces the object (or its status) without a resourceVersion precondition. */
  update(obj: any, subresource?: 'status'): any {
    const next = clone(obj);
    delete next.metadata.resourceVersion;
    delete next.metadata.managedFields;
    return this.api.update(
      this.rtOf(obj),
      obj.metadata.namespace ?? '',
      obj.metadata.name,
      next,
      this.manager,
      subresource,
    );
  }

  /** Deletes; an object already gone counts as deleted. */
  delete(obj: any): void {
    try {
      this.api.delete(
        this.rtOf(obj),
        obj.metadata.namespace ?? '',
        obj.metadata.name,
        {},
      );
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}

/** Sets a condition by type; lastTransitionTime moves only when the status does. Returns the new list. */
export function setCondition(
  conditions: any[] | undefined,
  next: { type: string; status: string; reason: string; message: string },
  now: string,
  extra: Record<string, unknown> = {},
): any[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex(c => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  const cond = {
    ...extra,
    ...next,
    lastTransitionTime:
      old && old.status === next.status ? old.lastTransitionTime : now,
  };
  if (i >= 0) list[i] = { ...old, ...cond };
  else list.push(cond);
  return list;
}

export function conditionTrue(obj: any, type: string): boolean {
  return (obj?.status?.conditions ?? []).some(
    (c: any) => c.type === type && c.status === 'True',
  );
}

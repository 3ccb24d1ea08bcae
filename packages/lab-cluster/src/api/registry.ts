// Resolves group/version/plural to a resource type, including CRD-defined ones.
import { ObjectStore } from '../store/store';
import {
  BUILTIN_RESOURCES,
  CRD_KEY,
  ResourceType,
  resourceKey,
  resourcesFromCrd,
} from './resources';

export class ResourceRegistry {
  private custom: ResourceType[] | undefined;

  constructor(private readonly store: ObjectStore) {
    store.onChange(ev => {
      if (ev.key === CRD_KEY) this.custom = undefined;
    });
  }

  invalidate(): void {
    this.custom = undefined;
  }

  all(): ResourceType[] {
    if (!this.custom) {
      this.custom = this.store
        .list(CRD_KEY)
        .flatMap(e => resourcesFromCrd(e.obj));
    }
    return [...BUILTIN_RESOURCES, ...this.custom];
  }

  lookup(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.all().find(
      r => r.group === group && r.version === version && r.plural === plural,
    );
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : ['', apiVersion];
    return this.all().find(
      r => r.group === group && r.version === version && r.kind === kind,
    );
  }

  static key(rt: ResourceType): string {
    return resourceKey(rt.group, rt.plural);
  }
}

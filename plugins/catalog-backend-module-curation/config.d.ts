export interface Config {
  catalog?: {
    /** Catalog curation rules applied at ingestion. */
    curation?: {
      /**
       * When false the rules only feed the curation page and entities are
       * never rejected. Default true.
       */
      enforce?: boolean;
      /** Kinds whose spec.owner must resolve to a Group. */
      ownerKinds?: string[];
      /** Kinds that must name a spec.system. Default Component and API. */
      systemKinds?: string[];
      /** Kinds whose spec.lifecycle must be one of `lifecycles`. */
      lifecycleKinds?: string[];
      /** Default experimental, production, deprecated. */
      lifecycles?: string[];
      nameClash?: {
        /** Same kind and name in two namespaces clash. Default true. */
        acrossNamespaces?: boolean;
        /** Kinds that share one name space. Default [[Component, Resource]]. */
        kindGroups?: string[][];
      };
    };
  };
}

import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Catalog curation (the rules themselves are under catalog.curation). */
  catalogCuration?: {
    snapshot?: {
      /**
       * When the counts per team are recorded. One row per team and day;
       * later runs on the same day replace it. Default every 6 hours, first
       * run a minute after start.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}

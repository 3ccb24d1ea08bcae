export interface Config {
  /** Golden paths: the scaffolder templates under templates/ and what they need. */
  goldenPaths?: {
    /** Publishing to git repositories on the portal's own storage (portal:publish:local-git). */
    git?: {
      /**
       * Directory holding the bare repositories (`repos/<name>.git`) and their
       * published checkouts (`published/<name>/`) the catalog reads. Relative
       * paths resolve from the backend's working directory.
       * Default: ../../data/git
       */
      rootDir?: string;
      /** Branch of new repositories. Default: main */
      defaultBranch?: string;
    };
  };
}

export interface Config {
  /** Settings of this portal that several plugins share. */
  portal?: {
    /**
     * Entity reference of the platform team's Group. Its members curate the
     * catalog, approve GPU requests above allowances and operate the clusters.
     * Defaults to `group:default/platform-team`.
     */
    platformTeam?: string;
  };
}

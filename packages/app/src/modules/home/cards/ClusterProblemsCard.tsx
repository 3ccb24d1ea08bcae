import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  clusterStatusApiRef,
  type ClusterStatusApi,
} from '@internal/plugin-cluster-status';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import useAsync from 'react-use/esm/useAsync';
import { portalTranslationRef } from '../../../translations';
import { AsyncCard } from './AsyncCard';

type Cluster = Awaited<ReturnType<ClusterStatusApi['listClusters']>>[number];

/** What is wrong with a cluster, in words; empty when nothing is. */
function useProblems() {
  const { t } = useTranslationRef(portalTranslationRef);
  return (c: Cluster): string[] => {
    if (c.status === 'unreachable') {
      return [t('home.clusters.unreachable', { error: c.error ?? '' })];
    }
    if (c.status !== 'reachable') {
      return [t('home.clusters.pending')];
    }
    const problems: string[] = [];
    if (c.nodes.notReady > 0) {
      problems.push(
        t('home.clusters.notReady', { nodes: String(c.nodes.notReady) }),
      );
    }
    if (c.pods.failed > 0) {
      problems.push(
        t('home.clusters.failedPods', { pods: String(c.pods.failed) }),
      );
    }
    return problems;
  };
}

/** Clusters that are unreachable or have nodes or pods in trouble. */
export function ClusterProblemsCard() {
  const { t } = useTranslationRef(portalTranslationRef);
  const problemsOf = useProblems();
  const api = useApi(clusterStatusApiRef);
  const state = useAsync(async () => {
    const clusters = await api.listClusters();
    return clusters
      .map(cluster => ({ cluster, problems: problemsOf(cluster) }))
      .filter(c => c.problems.length > 0);
    // problemsOf changes with the language only; the list re-renders anyway.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);
  return (
    <AsyncCard
      title={t('home.clusters.title')}
      testId="home-cluster-problems"
      state={state}
      isEmpty={v => v.length === 0}
      empty={t('home.clusters.empty')}
      more="/cluster-status"
    >
      {clusters => (
        <List dense disablePadding>
          {clusters.map(({ cluster, problems }) => (
            <ListItem key={cluster.name}>
              <ListItemText
                primary={cluster.title}
                secondary={problems.join(' · ')}
              />
            </ListItem>
          ))}
        </List>
      )}
    </AsyncCard>
  );
}

import { NotificationService } from '@backstage/plugin-notifications-node';
import { RequestRow } from '../../database/GpuPoolStore';
import { IdlePolicy } from './decideIdle';

type NotificationPayload = Parameters<
  NotificationService['send']
>[0]['payload'];

function gpusOf(row: RequestRow) {
  return row.gpus.map(g => `${g.count} × ${g.pool}`).join(', ');
}

/** Korean first, English second: the portal's languages. */
function both(ko: string, en: string) {
  return `${ko}\n${en}`;
}

/** Links of the request page that carry the one-click answer. */
export function reclaimLinks(requestId: string) {
  const page = `/gpu-pool/requests/${encodeURIComponent(requestId)}`;
  return {
    page: `${page}?reclaim=notice`,
    keep: `${page}?reclaim=keep`,
    release: `${page}?reclaim=release`,
  };
}

/** The nudge: the lease is idle and is reclaimed at `reclaimAt` unless kept. */
export function idleNotice(
  row: RequestRow,
  policy: IdlePolicy,
  reclaimAt: number,
): NotificationPayload {
  const links = reclaimLinks(row.id);
  const when = new Date(reclaimAt).toISOString();
  return {
    title: both(
      `${row.namespace}의 GPU가 유휴 상태입니다: ${when}에 회수됩니다`,
      `Idle GPUs in ${row.namespace} will be reclaimed at ${when}`,
    ),
    description: both(
      `${row.cluster}의 ${gpusOf(row)}가 ${policy.idleMinutes}분 동안 사용률 ${
        policy.thresholdPercent
      }% 미만이었습니다. 유지: ${links.keep} · 반납: ${links.release}`,
      `${gpusOf(row)} on ${row.cluster} stayed below ${
        policy.thresholdPercent
      }% engine activity for ${policy.idleMinutes} minutes. Keep: ${
        links.keep
      } · Release: ${links.release}`,
    ),
    link: links.page,
    severity: 'high',
    topic: `gpu-pool:${row.id}`,
  };
}

/** After the grace: the lease was reclaimed. */
export function reclaimedNotice(row: RequestRow): NotificationPayload {
  return {
    title: both(
      `${row.namespace}의 유휴 GPU가 회수되었습니다`,
      `Idle GPUs in ${row.namespace} were reclaimed`,
    ),
    description: both(
      `${row.cluster}의 ${gpusOf(
        row,
      )}가 응답 없이 유휴 상태로 남아 풀로 반환되었습니다. 다시 필요하면 새로 요청하세요.`,
      `${gpusOf(row)} on ${
        row.cluster
      } stayed idle without an answer and went back to the pool. Request them again when you need them.`,
    ),
    link: reclaimLinks(row.id).page,
    severity: 'normal',
    topic: `gpu-pool:${row.id}`,
  };
}

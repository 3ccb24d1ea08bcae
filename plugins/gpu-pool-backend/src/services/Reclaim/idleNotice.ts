import { NotificationService } from '@backstage/plugin-notifications-node';
import { RequestRow } from '../../database/GpuPoolStore';
import { NotificationLocale } from '../GpuPool/notificationMessages';
import { notificationTimeFormat } from '../GpuPool/notificationTime';
import { IdlePolicy } from './decideIdle';

type NotificationPayload = Parameters<
  NotificationService['send']
>[0]['payload'];

function gpusOf(row: RequestRow) {
  return row.gpus.map(g => `${g.count} × ${g.pool}`).join(', ');
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

interface IdleFacts {
  namespace: string;
  cluster: string;
  /** `2 × lab-main-a100, …` */
  gpus: string;
}

type Links = ReturnType<typeof reclaimLinks>;

interface IdleTexts {
  idle(
    f: IdleFacts,
    policy: IdlePolicy,
    when: string,
    links: Links,
  ): { title: string; description: string };
  reclaimed(f: IdleFacts): { title: string; description: string };
}

const english: IdleTexts = {
  idle: (f, policy, when, links) => ({
    title: `Idle GPUs in ${f.namespace} will be reclaimed at ${when}`,
    description: `${f.gpus} on ${f.cluster} stayed below ${policy.thresholdPercent}% engine activity for ${policy.idleMinutes} minutes. Keep: ${links.keep} · Release: ${links.release}`,
  }),
  reclaimed: f => ({
    title: `Idle GPUs in ${f.namespace} were reclaimed`,
    description: `${f.gpus} on ${f.cluster} stayed idle without an answer and went back to the pool. Request them again when you need them.`,
  }),
};

// As in the lease notifications, a colon after the GPUs instead of a
// particle that would depend on their last sound.
const korean: IdleTexts = {
  idle: (f, policy, when, links) => ({
    title: `${f.namespace}의 GPU가 유휴 상태입니다: ${when}에 회수됩니다`,
    description: `${f.cluster}의 ${f.gpus}: ${policy.idleMinutes}분 동안 사용률이 ${policy.thresholdPercent}% 미만이었습니다. 유지: ${links.keep} · 반납: ${links.release}`,
  }),
  reclaimed: f => ({
    title: `${f.namespace}의 유휴 GPU가 회수되었습니다`,
    description: `${f.cluster}의 ${f.gpus}: 응답 없이 유휴 상태로 남아 풀로 반환되었습니다. 다시 필요하면 새로 요청하세요.`,
  }),
};

function textsOf(row: RequestRow, locale: NotificationLocale) {
  return {
    texts: locale.language === 'en' ? english : korean,
    facts: {
      namespace: row.namespace,
      cluster: row.cluster,
      gpus: gpusOf(row),
    },
  };
}

/**
 * The nudge: the lease is idle and is reclaimed at `reclaimAt` unless kept.
 * Written in the notifications' language, the time in their time zone.
 */
export function idleNotice(
  row: RequestRow,
  policy: IdlePolicy,
  reclaimAt: number,
  locale: NotificationLocale,
): NotificationPayload {
  const links = reclaimLinks(row.id);
  const { texts, facts } = textsOf(row, locale);
  const when = notificationTimeFormat(
    locale.language,
    locale.timeZone,
  )(reclaimAt);
  return {
    ...texts.idle(facts, policy, when, links),
    link: links.page,
    severity: 'high',
    topic: `gpu-pool:${row.id}`,
  };
}

/** After the grace: the lease was reclaimed. */
export function reclaimedNotice(
  row: RequestRow,
  locale: NotificationLocale,
): NotificationPayload {
  const { texts, facts } = textsOf(row, locale);
  return {
    ...texts.reclaimed(facts),
    link: reclaimLinks(row.id).page,
    severity: 'normal',
    topic: `gpu-pool:${row.id}`,
  };
}

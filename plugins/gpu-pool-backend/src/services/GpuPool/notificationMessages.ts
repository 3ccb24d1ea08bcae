import { Config } from '@backstage/config';
import {
  DEFAULT_NOTIFICATION_TIME_ZONE,
  notificationTimeFormat,
  readNotificationTimeZone,
} from './notificationTime';

/** The language notifications are written in: the portal's. */
export type NotificationLanguage = 'ko' | 'en';

const languages: NotificationLanguage[] = ['ko', 'en'];

/**
 * Reads `gpuPool.notifications.language` (default `ko`, the portal's default
 * language): notifications carry plain strings, so the backend writes them
 * in the language the portal speaks.
 */
export function readNotificationLanguage(config: Config): NotificationLanguage {
  const value =
    config.getOptionalString('gpuPool.notifications.language') ?? 'ko';
  if (!languages.includes(value as NotificationLanguage)) {
    throw new Error(
      `gpuPool.notifications.language must be one of ${languages.join(
        ', ',
      )}, not "${value}"`,
    );
  }
  return value as NotificationLanguage;
}

/** The language and time zone of the notifications' text. */
export interface NotificationLocale {
  language: NotificationLanguage;
  /** IANA time zone name of the times inside the text. */
  timeZone: string;
}

/** Korean, in Seoul time: the portal's defaults. */
export const DEFAULT_NOTIFICATION_LOCALE: NotificationLocale = {
  language: 'ko',
  timeZone: DEFAULT_NOTIFICATION_TIME_ZONE,
};

/**
 * Reads `gpuPool.notifications.language` and `.timeZone` once at start-up;
 * a bad value of either stops the start with an error naming it.
 */
export function readNotificationLocale(config: Config): NotificationLocale {
  return {
    language: readNotificationLanguage(config),
    timeZone: readNotificationTimeZone(config),
  };
}

/** What a notification says about one request. */
export interface NotificationFacts {
  namespace: string;
  cluster: string;
  team: string;
  /** `2 × lab-main-a100, …`, empty when the request holds no GPUs. */
  gpus: string;
}

/**
 * Title and description of each notification the GPU pool sends; times are
 * written in the words' language and time zone.
 */
export interface NotificationMessages {
  expiring(
    f: NotificationFacts,
    expiresAt: number,
  ): { title: string; description: string };
  active(
    f: NotificationFacts,
    expiresAt: number | undefined,
  ): { title: string; description: string };
  ended(
    f: NotificationFacts,
    to: 'released' | 'expired' | 'failed',
    stopAt: number,
  ): { title: string; description: string };
  approval(
    f: NotificationFacts,
    justification: string,
  ): { title: string; description: string };
}

type Time = (at: number) => string;

const english = (time: Time): NotificationMessages => ({
  expiring: (f, expiresAt) => ({
    title: `GPU lease in ${f.namespace} ends soon`,
    description: `${f.gpus || 'no GPUs'} on ${f.cluster} expire at ${time(
      expiresAt,
    )}. Extend or release it.`,
  }),
  active: (f, expiresAt) => ({
    title: `GPUs ready in ${f.namespace}`,
    description: `${f.gpus || 'no GPUs'} on ${f.cluster} are yours until ${
      expiresAt === undefined ? 'released' : time(expiresAt)
    }.`,
  }),
  ended: (f, to, stopAt) => ({
    title: `GPU lease in ${f.namespace} ended (${to})`,
    description: `${f.gpus || 'no GPUs'} on ${
      f.cluster
    } went back to the pool. Workloads of ${
      f.team
    } beyond the remaining grant stop at ${time(stopAt)}.`,
  }),
  approval: (f, justification) => ({
    title: `GPU request of ${f.team} needs approval`,
    description: `${f.gpus || 'no GPUs'} on ${f.cluster}: ${justification}`,
  }),
});

const endedKo = { released: '반납됨', expired: '만료됨', failed: '실패' };

// Particles after names and numbers would depend on their last sound: the
// Korean text puts them before a colon instead.
const korean = (time: Time): NotificationMessages => ({
  expiring: (f, expiresAt) => ({
    title: `${f.namespace}의 GPU 임대가 곧 끝납니다`,
    description: `${f.cluster}의 ${f.gpus || 'GPU 없음'}: 임대가 ${time(
      expiresAt,
    )}에 끝납니다. 연장하거나 반납하세요.`,
  }),
  active: (f, expiresAt) => ({
    title: `${f.namespace}의 GPU가 준비되었습니다`,
    description: `${f.cluster}의 ${f.gpus || 'GPU 없음'}: ${
      expiresAt === undefined ? '반납할 때까지' : `${time(expiresAt)}까지`
    } 사용할 수 있습니다.`,
  }),
  ended: (f, to, stopAt) => ({
    title: `${f.namespace}의 GPU 임대가 끝났습니다 (${endedKo[to]})`,
    description: `${f.cluster}의 ${
      f.gpus || 'GPU 없음'
    }: 풀로 반환되었습니다. 남은 할당을 넘는 ${f.team}의 워크로드는 ${time(
      stopAt,
    )}에 중지됩니다.`,
  }),
  approval: (f, justification) => ({
    title: `${f.team}의 GPU 신청이 승인을 기다립니다`,
    description: `${f.cluster}의 ${f.gpus || 'GPU 없음'}: ${justification}`,
  }),
});

/** The notification texts in one language and time zone. */
export function notificationMessages(
  locale: NotificationLocale,
): NotificationMessages {
  const time = notificationTimeFormat(locale.language, locale.timeZone);
  return locale.language === 'en' ? english(time) : korean(time);
}

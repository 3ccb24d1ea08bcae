import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { GpuPoolConfig } from '../../config/readGpuPoolConfig';
import { RequestRow } from '../../database/GpuPoolStore';
import { GpuPoolChange } from './changes';
import {
  NotificationLocale,
  readNotificationLanguage,
  readNotificationLocale,
} from './notificationMessages';
import { publishChanges } from './publishChanges';

const expiresAt = Date.parse('2026-12-02T09:00:00.000Z');

const row: RequestRow = {
  id: 'req-1',
  team: 'group:default/ml-team',
  cluster: 'lab-main',
  namespace: 'ml-x',
  gpus: [{ pool: 'lab-main-a100', count: 2 }],
  cpu: '8',
  memory: '32Gi',
  justification: 'fine-tuning the intake model',
  ephemeral: false,
  priority: 0,
  adoptsNamespace: false,
  createdNamespace: true,
  status: 'active',
  requestedBy: 'user:default/jiwoo.kim',
  createdAt: 0,
  updatedAt: 0,
  expiresAt,
  cleanupPending: false,
};

const config = {
  stopGracePeriodMs: 600_000,
  platformTeam: 'group:default/platform-team',
} as GpuPoolConfig;

async function sent(
  changes: GpuPoolChange[],
  language?: 'ko' | 'en',
  timeZone = 'Asia/Seoul',
) {
  const sends: Array<Parameters<NotificationService['send']>[0]> = [];
  const notifications: NotificationService = {
    send: async options => {
      sends.push(options);
    },
  };
  await publishChanges(changes, {
    notifications,
    config,
    logger: mockServices.logger.mock(),
    locale: language
      ? ({ language, timeZone } as NotificationLocale)
      : undefined,
  });
  return sends.map(s => s.payload);
}

describe('publishChanges', () => {
  const changes: GpuPoolChange[] = [
    {
      request: { ...row, status: 'active' },
      from: 'provisioning',
      to: 'active',
    },
    { request: { ...row, status: 'expiring' }, from: 'active', to: 'expiring' },
    {
      request: { ...row, status: 'pending-approval' },
      to: 'pending-approval',
    },
    {
      request: { ...row, status: 'expired', cleanupPending: true },
      from: 'expiring',
      to: 'expired',
    },
  ];

  it('writes in Korean by default', async () => {
    const [active, expiring, approval, ended] = await sent(changes);
    expect(active).toMatchObject({
      title: 'ml-x의 GPU가 준비되었습니다',
      description:
        'lab-main의 2 × lab-main-a100: 2026. 12. 2. 오후 6:00 (GMT+9)까지 사용할 수 있습니다.',
      link: '/gpu-pool/requests/req-1',
      severity: 'normal',
    });
    expect(expiring).toMatchObject({
      title: 'ml-x의 GPU 임대가 곧 끝납니다',
      description:
        'lab-main의 2 × lab-main-a100: 임대가 2026. 12. 2. 오후 6:00 (GMT+9)에 끝납니다. 연장하거나 반납하세요.',
      severity: 'high',
    });
    expect(approval).toMatchObject({
      title: 'group:default/ml-team의 GPU 신청이 승인을 기다립니다',
      description: 'lab-main의 2 × lab-main-a100: fine-tuning the intake model',
      topic: 'gpu-pool:approvals',
    });
    expect(ended.title).toBe('ml-x의 GPU 임대가 끝났습니다 (만료됨)');
    expect(ended.description).toMatch(
      /^lab-main의 2 × lab-main-a100: 풀로 반환되었습니다\. 남은 할당을 넘는 group:default\/ml-team의 워크로드는 \d{4}\. \d{1,2}\. \d{1,2}\. 오[전후] \d{1,2}:\d\d \(GMT\+9\)에 중지됩니다\.$/,
    );
  });

  it('writes in English when the portal speaks English', async () => {
    const [active, expiring, approval, ended] = await sent(changes, 'en');
    expect(active).toMatchObject({
      title: 'GPUs ready in ml-x',
      description:
        '2 × lab-main-a100 on lab-main are yours until Dec 2, 2026, 6:00 PM (GMT+9).',
    });
    expect(expiring).toMatchObject({
      title: 'GPU lease in ml-x ends soon',
      description:
        '2 × lab-main-a100 on lab-main expire at Dec 2, 2026, 6:00 PM (GMT+9). Extend or release it.',
    });
    expect(approval).toMatchObject({
      title: 'GPU request of group:default/ml-team needs approval',
      description:
        '2 × lab-main-a100 on lab-main: fine-tuning the intake model',
    });
    expect(ended.title).toBe('GPU lease in ml-x ended (expired)');
    expect(ended.description).toMatch(
      /^2 × lab-main-a100 on lab-main went back to the pool\. Workloads of group:default\/ml-team beyond the remaining grant stop at [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M \(GMT\+9\)\.$/,
    );
  });

  it('writes times in the configured time zone', async () => {
    const [active, expiring] = await sent(changes, 'en', 'Europe/Berlin');
    expect(active.description).toBe(
      '2 × lab-main-a100 on lab-main are yours until Dec 2, 2026, 10:00 AM (GMT+1).',
    );
    expect(expiring.description).toContain('expire at Dec 2, 2026, 10:00 AM');
  });

  it('says so when a lease without an end is ready', async () => {
    const open = { ...row, expiresAt: undefined };
    const [ko] = await sent([{ request: open, to: 'active' }]);
    const [en] = await sent([{ request: open, to: 'active' }], 'en');
    expect(ko.description).toBe(
      'lab-main의 2 × lab-main-a100: 반납할 때까지 사용할 수 있습니다.',
    );
    expect(en.description).toBe(
      '2 × lab-main-a100 on lab-main are yours until released.',
    );
  });
});

describe('readNotificationLocale', () => {
  it('defaults to Korean in Seoul and reads both keys', () => {
    expect(readNotificationLocale(new ConfigReader({}))).toEqual({
      language: 'ko',
      timeZone: 'Asia/Seoul',
    });
    expect(
      readNotificationLocale(
        new ConfigReader({
          gpuPool: {
            notifications: { language: 'en', timeZone: 'America/New_York' },
          },
        }),
      ),
    ).toEqual({ language: 'en', timeZone: 'America/New_York' });
  });

  it('refuses an unknown time zone, naming the key', () => {
    expect(() =>
      readNotificationLocale(
        new ConfigReader({
          gpuPool: { notifications: { timeZone: 'Seoul' } },
        }),
      ),
    ).toThrow('gpuPool.notifications.timeZone must be an IANA time zone name');
  });
});

describe('readNotificationLanguage', () => {
  it('defaults to Korean and reads English', () => {
    expect(readNotificationLanguage(new ConfigReader({}))).toBe('ko');
    expect(
      readNotificationLanguage(
        new ConfigReader({ gpuPool: { notifications: { language: 'en' } } }),
      ),
    ).toBe('en');
  });

  it('refuses another language, naming the key', () => {
    expect(() =>
      readNotificationLanguage(
        new ConfigReader({ gpuPool: { notifications: { language: 'fr' } } }),
      ),
    ).toThrow('gpuPool.notifications.language must be one of ko, en, not "fr"');
  });
});

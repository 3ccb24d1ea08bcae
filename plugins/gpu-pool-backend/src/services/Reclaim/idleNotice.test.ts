import { RequestRow } from '../../database/GpuPoolStore';
import { idleNotice, reclaimedNotice } from './idleNotice';

const row = {
  id: 'req 1',
  team: 'group:default/ml-team',
  cluster: 'lab-main',
  namespace: 'ml-x',
  gpus: [
    { pool: 'lab-main-h100', count: 2 },
    { pool: 'lab-main-a100', count: 1 },
  ],
  requestedBy: 'user:default/jiwoo.kim',
} as RequestRow;

const policy = {
  thresholdPercent: 5,
  idleMinutes: 30,
  graceMinutes: 60,
  keepMinutes: 240,
};

const reclaimAt = Date.parse('2026-12-01T05:41:00.000Z');
const seoul = 'Asia/Seoul';
const hangul = /[\uac00-\ud7a3]/;

describe('idleNotice', () => {
  it('writes Korean only, the time in Seoul, the links as they were', () => {
    const notice = idleNotice(row, policy, reclaimAt, {
      language: 'ko',
      timeZone: seoul,
    });
    expect(notice).toEqual({
      title:
        'ml-x의 GPU가 유휴 상태입니다: 2026. 12. 1. 오후 2:41 (GMT+9)에 회수됩니다',
      description:
        'lab-main의 2 × lab-main-h100, 1 × lab-main-a100: 30분 동안 사용률이 5% 미만이었습니다. ' +
        '유지: /gpu-pool/requests/req%201?reclaim=keep · 반납: /gpu-pool/requests/req%201?reclaim=release',
      link: '/gpu-pool/requests/req%201?reclaim=notice',
      severity: 'high',
      topic: 'gpu-pool:req 1',
    });
    expect(`${notice.title}${notice.description}`).not.toMatch(/Idle|GPUs on/);
  });

  it('writes English only when the portal speaks English', () => {
    const notice = idleNotice(row, policy, reclaimAt, {
      language: 'en',
      timeZone: seoul,
    });
    expect(notice.title).toBe(
      'Idle GPUs in ml-x will be reclaimed at Dec 1, 2026, 2:41 PM (GMT+9)',
    );
    expect(notice.description).toBe(
      '2 × lab-main-h100, 1 × lab-main-a100 on lab-main stayed below 5% engine activity for 30 minutes. ' +
        'Keep: /gpu-pool/requests/req%201?reclaim=keep · Release: /gpu-pool/requests/req%201?reclaim=release',
    );
    expect(`${notice.title}${notice.description}`).not.toMatch(hangul);
    expect(notice.link).toBe('/gpu-pool/requests/req%201?reclaim=notice');
  });

  it('writes the reclaim time in the configured zone', () => {
    const notice = idleNotice(row, policy, reclaimAt, {
      language: 'ko',
      timeZone: 'Europe/Berlin',
    });
    expect(notice.title).toContain(
      '2026. 12. 1. 오전 6:41 (GMT+1)에 회수됩니다',
    );
    expect(notice.title).not.toContain('2026-12-01T05:41');
  });
});

describe('reclaimedNotice', () => {
  it('writes Korean only by the Korean locale', () => {
    const notice = reclaimedNotice(row, { language: 'ko', timeZone: seoul });
    expect(notice).toEqual({
      title: 'ml-x의 유휴 GPU가 회수되었습니다',
      description:
        'lab-main의 2 × lab-main-h100, 1 × lab-main-a100: 응답 없이 유휴 상태로 남아 풀로 반환되었습니다. 다시 필요하면 새로 요청하세요.',
      link: '/gpu-pool/requests/req%201?reclaim=notice',
      severity: 'normal',
      topic: 'gpu-pool:req 1',
    });
  });

  it('writes English only by the English locale', () => {
    const notice = reclaimedNotice(row, { language: 'en', timeZone: seoul });
    expect(notice.title).toBe('Idle GPUs in ml-x were reclaimed');
    expect(notice.description).toBe(
      '2 × lab-main-h100, 1 × lab-main-a100 on lab-main stayed idle without an answer and went back to the pool. Request them again when you need them.',
    );
  });
});

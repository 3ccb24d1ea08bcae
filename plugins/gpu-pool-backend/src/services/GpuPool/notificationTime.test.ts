import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import {
  notificationTimeFormat,
  readNotificationTimeZone,
} from './notificationTime';

const at = Date.parse('2026-12-01T05:41:00.000Z');

function zoneConfig(timeZone: JsonValue) {
  return new ConfigReader({ gpuPool: { notifications: { timeZone } } });
}

describe('notificationTimeFormat', () => {
  it('writes Korean time in Seoul with its offset', () => {
    expect(notificationTimeFormat('ko', 'Asia/Seoul')(at)).toBe(
      '2026. 12. 1. 오후 2:41 (GMT+9)',
    );
  });

  it('writes English time in Seoul with plain spaces', () => {
    const text = notificationTimeFormat('en', 'Asia/Seoul')(at);
    expect(text).toBe('Dec 1, 2026, 2:41 PM (GMT+9)');
    expect(text).not.toMatch(/[\u202f\u00a0]/);
  });

  it('writes the time of another zone, daylight saving time included', () => {
    const newYork = notificationTimeFormat('en', 'America/New_York');
    expect(newYork(at)).toBe('Dec 1, 2026, 12:41 AM (GMT-5)');
    expect(newYork(Date.parse('2026-07-01T05:41:00.000Z'))).toBe(
      'Jul 1, 2026, 1:41 AM (GMT-4)',
    );
    expect(notificationTimeFormat('ko', 'Europe/Berlin')(at)).toBe(
      '2026. 12. 1. 오전 6:41 (GMT+1)',
    );
  });

  it('refuses a time that is not one', () => {
    expect(() => notificationTimeFormat('ko', 'Asia/Seoul')(NaN)).toThrow(
      'Not a time for a notification: NaN',
    );
  });
});

describe('readNotificationTimeZone', () => {
  it('defaults to Asia/Seoul', () => {
    expect(readNotificationTimeZone(new ConfigReader({}))).toBe('Asia/Seoul');
  });

  it('reads an IANA name in its canonical spelling', () => {
    expect(readNotificationTimeZone(zoneConfig('Europe/Berlin'))).toBe(
      'Europe/Berlin',
    );
    expect(readNotificationTimeZone(zoneConfig('asia/seoul'))).toBe(
      'Asia/Seoul',
    );
  });

  it('refuses an unknown zone, naming the key', () => {
    expect(() => readNotificationTimeZone(zoneConfig('Mars/Olympus'))).toThrow(
      'gpuPool.notifications.timeZone must be an IANA time zone name such as Asia/Seoul, not "Mars/Olympus"',
    );
    expect(() => readNotificationTimeZone(zoneConfig('KST'))).toThrow(
      'gpuPool.notifications.timeZone must be an IANA time zone name',
    );
  });

  it('refuses a fixed offset, which would ignore daylight saving time', () => {
    expect(() => readNotificationTimeZone(zoneConfig('+09:00'))).toThrow(
      'gpuPool.notifications.timeZone must be an IANA time zone name such as Asia/Seoul, not "+09:00"',
    );
  });

  it('refuses a value that is not a string, naming the key', () => {
    expect(() => readNotificationTimeZone(zoneConfig(9))).toThrow(
      /gpuPool\.notifications\.timeZone/,
    );
  });
});

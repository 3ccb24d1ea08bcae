import { createPortalFormat } from './formatters';

const messages = {
  ko: {
    timeLeft: (d: string) => `${d} 남음`,
    expired: (t: string) => `${t} 만료됨`,
  },
  en: {
    timeLeft: (d: string) => `${d} left`,
    expired: (t: string) => `expired ${t}`,
  },
};
const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2026-11-30T12:00:00Z');

describe('createPortalFormat', () => {
  it('says time left in Korean with the two largest units', () => {
    const ko = createPortalFormat('ko', messages.ko);
    expect(ko.timeLeft(now + 2 * day + 3 * hour + 59_000, now)).toBe(
      '2일 3시간 남음',
    );
    expect(ko.duration(2 * day)).toBe('2일');
    expect(ko.duration(90 * 60_000)).toBe('1시간 30분');
    expect(ko.duration(500)).toBe('0초');
    expect(ko.duration(day + 5 * 60_000)).toBe('1일');
    expect(ko.duration(day + hour + 60_000, { units: 3 })).toBe(
      '1일 1시간 1분',
    );
  });

  it('says the same in English when the portal speaks English', () => {
    const en = createPortalFormat('en', messages.en);
    expect(en.timeLeft(now + 2 * day + 3 * hour, now)).toBe(
      '2 days, 3 hours left',
    );
    expect(en.duration(hour)).toBe('1 hour');
  });

  it('relates times to now in the language, not the browser locale', () => {
    const ko = createPortalFormat('ko', messages.ko);
    const en = createPortalFormat('en', messages.en);
    expect(ko.relativeTime(now - 3 * hour, now)).toBe('3시간 전');
    expect(ko.relativeTime(now + 2 * day, now)).toBe('모레');
    expect(ko.relativeTime(now + 5 * day, now)).toBe('5일 후');
    expect(en.relativeTime(now - 3 * hour, now)).toBe('3 hours ago');
    expect(ko.timeLeft(now - 10 * 60_000, now)).toBe('10분 전 만료됨');
    expect(en.timeLeft(now - 10 * 60_000, now)).toBe('expired 10 minutes ago');
  });

  it('formats dates by the language', () => {
    const ko = createPortalFormat('ko', messages.ko);
    const en = createPortalFormat('en', messages.en);
    expect(ko.date('2026-11-30T12:00:00Z')).toMatch(/^2026\. 11\. 30\.$/);
    expect(en.date('2026-11-30T12:00:00Z')).toBe('Nov 30, 2026');
    expect(ko.dateTime(now)).toMatch(
      /^2026\. 11\. 30\. (오전|오후) \d{1,2}:\d{2}$/,
    );
  });

  it('names the field of a bad input', () => {
    const ko = createPortalFormat('ko', messages.ko);
    expect(() => ko.date('not a date')).toThrow(/value is not a valid time/);
    expect(() => ko.timeLeft(now, 'soon')).toThrow(/now is not a valid time/);
    expect(() => ko.duration(-1)).toThrow(/duration must be a non-negative/);
  });
});

import { portalTranslationRef } from './portalTranslationRef';
import portalMessagesKo from './portalMessagesKo';

describe('Korean translation of the app', () => {
  it('covers every English message with Korean text', () => {
    const english = (
      portalTranslationRef as unknown as {
        getDefaultMessages(): Record<string, string>;
      }
    ).getDefaultMessages();
    const korean = portalMessagesKo.messages as Record<string, string>;
    expect(Object.keys(korean).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(korean)) {
      expect(text).toMatch(/[\uac00-\ud7a3]|API/);
      expect(text).not.toEqual(english[key]);
    }
  });
});

import { clusterStatusTranslationRef } from './translation';
import korean from './translationKo';

describe('cluster status translations', () => {
  it('has Korean text for every English message', () => {
    const english = (
      clusterStatusTranslationRef as unknown as {
        getDefaultMessages(): Record<string, string>;
      }
    ).getDefaultMessages();
    const messages: Record<string, string> = korean;
    expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(messages)) {
      expect(text).not.toEqual(english[key]);
      // Placeholders survive translation.
      for (const placeholder of english[key].match(/{{\w+}}/g) ?? []) {
        expect(text).toContain(placeholder);
      }
    }
  });
});

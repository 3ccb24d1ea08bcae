import { gpuPoolTranslationRef } from './translation';
import korean from './translationKo';

describe('GPU pool translations', () => {
  it('has Korean text for every English message, with the placeholders', () => {
    const english = (
      gpuPoolTranslationRef as unknown as {
        getDefaultMessages(): Record<string, string>;
      }
    ).getDefaultMessages();
    const messages: Record<string, string> = korean;
    expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(messages)) {
      expect(text.length).toBeGreaterThan(0);
      for (const placeholder of english[key].match(/{{\w+}}/g) ?? []) {
        expect(text).toContain(placeholder);
      }
    }
  });
});

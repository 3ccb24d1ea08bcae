import { gpuPoolShowbackTranslationRef } from './showbackTranslation';
import korean from './showbackTranslationKo';

describe('GPU showback translations', () => {
  it('has Korean text for every English message, with the placeholders', () => {
    const english = (
      gpuPoolShowbackTranslationRef as unknown as {
        getDefaultMessages(): Record<string, string>;
      }
    ).getDefaultMessages();
    const messages: Record<string, string> = korean;
    expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(messages)) {
      expect(text).toMatch(/[가-힣]/);
      for (const placeholder of english[key].match(/{{\w+}}/g) ?? []) {
        expect(text).toContain(placeholder);
      }
    }
  });
});

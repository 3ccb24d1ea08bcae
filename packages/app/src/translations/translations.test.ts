import { TranslationRef } from '@backstage/frontend-plugin-api';
import { portalTranslationRef } from './portalTranslationRef';
import portalMessagesKo from './portalMessagesKo';
import { upstreamKorean } from './upstreamTranslations';

function defaultMessages(ref: TranslationRef): Record<string, string> {
  return (
    ref as unknown as { getDefaultMessages(): Record<string, string> }
  ).getDefaultMessages();
}

/** `{{name}}`, `{{ count }}`, `{{index, number}}` and material-table's `{from}`. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}|\{(\w+)\}/g)]
    .map(m => m[1] ?? m[2])
    .sort();
}

/**
 * Messages that are the same in Korean: code, identifiers, a URL and
 * placeholder examples users type as they are.
 */
const sameInKorean = new Set([
  'catalog-react:entityPeekAheadPopover.emailCardAction.subTitle',
  'kubernetes-react:podsTable.columns.id',
  'kubernetes-react:fixDialog.title',
  'kubernetes-react:kubernetesDrawer.yaml',
  'scaffolder:templateEditorToolbar.addToCatalogDialogActions.documentationUrl',
  'catalog-import:importStepper.noLocation.createPr.componentNamePlaceholder',
  'catalog-import:importStepper.noLocation.createPr.ownerPlaceholder',
]);

describe('Korean translation of the app', () => {
  it('covers every English message with Korean text', () => {
    const english = defaultMessages(portalTranslationRef);
    const korean = portalMessagesKo.messages as Record<string, string>;
    expect(Object.keys(korean).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(korean)) {
      expect(text).toMatch(/[\uac00-\ud7a3]|API/);
      // Not left in English ("API" is the same word in Korean).
      expect({ key, english: text !== 'API' && text === english[key] }).toEqual(
        { key, english: false },
      );
    }
  });
});

describe('Korean translations of the upstream plugins', () => {
  it('cover the plugins the portal shows', () => {
    expect(upstreamKorean.map(u => u.ref.id).sort()).toEqual(
      [
        'api-docs',
        'catalog',
        'catalog-graph',
        'catalog-import',
        'catalog-react',
        'core-components',
        'home',
        'home-react',
        'kubernetes',
        'kubernetes-react',
        'org',
        'plugin.notifications',
        'scaffolder',
        'scaffolder-react',
        'search',
        'search-react',
        'techdocs',
        'user-settings',
      ].sort(),
    );
  });

  it.each(upstreamKorean.map(u => [u.name, u] as const))(
    '%s: every key of the ref has a Korean message with the same placeholders',
    async (name, { ref, ko }) => {
      // "API" is what Korean developers say, too.
      const inKorean = expect.stringMatching(/[\uac00-\ud7a3]|^API$/);
      const english = defaultMessages(ref);
      const { default: messages } = await ko();
      expect(messages.id).toBe(ref.id);
      const korean = messages.messages as Record<string, string | null>;
      expect(Object.keys(korean).sort()).toEqual(Object.keys(english).sort());
      for (const [key, source] of Object.entries(english)) {
        const text = korean[key];
        expect({ key, text: typeof text }).toEqual({ key, text: 'string' });
        expect({ key, placeholders: placeholders(text!) }).toEqual({
          key,
          placeholders: placeholders(source),
        });
        expect({ key, text }).toEqual({
          key,
          text: sameInKorean.has(`${name}:${key}`) ? source : inKorean,
        });
      }
    },
  );
});

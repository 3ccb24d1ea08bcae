import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { portalReactTranslationRef } from './portalReactTranslationRef';

/** Korean words around formatted times. */
const portalReactMessagesKo = createTranslationMessages({
  ref: portalReactTranslationRef,
  full: true,
  messages: {
    'time.left': '{{duration}} 남음',
    'time.expired': '{{time}} 만료됨',
  },
});
export default portalReactMessagesKo;

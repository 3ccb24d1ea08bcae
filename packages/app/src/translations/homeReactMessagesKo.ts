import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { homeReactTranslationRef } from '@backstage/plugin-home-react';

/** Korean for the home page cards' settings. */
const homeReactMessagesKo = createTranslationMessages({
  ref: homeReactTranslationRef,
  full: true,
  messages: {
    'settingsModal.title': '설정',
    'settingsModal.closeButtonTitle': '닫기',
    'cardExtension.settingsButtonTitle': '설정',
  },
});
export default homeReactMessagesKo;

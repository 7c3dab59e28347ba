import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { startClient } from './api/client';
import App from './App.vue';
import { i18n, restoreLocale } from './i18n';
import { afterNextPaint, whenIdle } from './lib/when-idle';
import { createAppRouter } from './router';
import { correctNaiveAccessibility } from './ui/naive-accessibility';
import { loadFeedback } from './ui/feedback-loader';
import './ui/base.css';

// Connects to the core (Electron bridge or the browser host's WebSocket) before the first page asks.
startClient();

// Before mounting, so no screen reader meets an uncorrected card heading.
correctNaiveAccessibility(document.body);

// The remembered language is loaded before mounting, so the first paint is already in it.
void restoreLocale()
  .catch((error: unknown) => console.error('Keyward: the chosen language could not be loaded', error))
  .finally(() => {
    createApp(App).use(createPinia()).use(i18n).use(createAppRouter()).mount('#app');
    // Kept out of the entry chunk, but fetched right after the first paint, not when the browser is
    // first idle (which can take seconds): a host that goes away early must still find the error
    // notifications loaded, since their chunk cannot be fetched once it is gone.
    afterNextPaint(() => loadFeedback().catch(() => {}));
  });

// The Keys page (the console's home; its chunks carry the contract and zod that most pages share), so
// that opening it from another page waits neither for the network nor for the parser.
whenIdle(() => {
  import('./pages/KeysPage.vue').catch(() => {});
});

import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { startClient } from './api/client';
import App from './App.vue';
import { whenIdle } from './lib/when-idle';
import { createAppRouter } from './router';
import { loadFeedback } from './ui/feedback-loader';
import './ui/base.css';

// Connects to the core (Electron bridge or the browser host's WebSocket) before the first page asks.
startClient();

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app');

// Kept out of the entry chunk, but wanted soon: the error notifications and confirmation dialogs, and
// the Keys page (the console's home; its chunks carry the contract and zod that most pages share), so
// that opening it from another page waits neither for the network nor for the parser.
whenIdle(() => {
  loadFeedback().catch(() => {});
  import('./pages/KeysPage.vue').catch(() => {});
});

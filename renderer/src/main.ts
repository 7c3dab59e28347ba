import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { startClient } from './api/client';
import App from './App.vue';
import { createAppRouter } from './router';
import './ui/base.css';

// Connects to the core (Electron bridge or the browser host's WebSocket) before the first page asks.
startClient();

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app');

import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { startClient } from './api/client';
import App from './App.vue';
import { createAppRouter } from './router';
import './ui/base.css';

// Before the router reads the address: takes the host token out of the visible URL.
startClient();

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app');

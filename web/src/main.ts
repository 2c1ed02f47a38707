import '@picocss/pico/css/pico.min.css';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { i18n, locale } from './i18n';
import { pageTitle, router } from './router';

createApp(App).use(i18n).use(router).mount('#app');
watch(locale, () => {
  document.title = pageTitle();
});

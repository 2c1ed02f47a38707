import { createRouter, createWebHistory } from 'vue-router';
import { setUnauthorizedHandler } from './api/client';
import { checkSession, session } from './lib/session';
import SignInView from './views/SignInView.vue';
import FleetView from './views/FleetView.vue';
import ConfigurationsView from './views/ConfigurationsView.vue';
import PeersView from './views/PeersView.vue';
import EventsView from './views/EventsView.vue';
import SettingsView from './views/SettingsView.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/fleet' },
    { path: '/signin', name: 'signin', component: SignInView, meta: { public: true } },
    { path: '/fleet', name: 'fleet', component: FleetView, meta: { title: 'Fleet' } },
    {
      path: '/configurations',
      name: 'configurations',
      component: ConfigurationsView,
      meta: { title: 'Configurations' },
    },
    {
      path: '/configurations/:name',
      name: 'peers',
      component: PeersView,
      props: true,
      meta: { title: 'Peers' },
    },
    { path: '/events', name: 'events', component: EventsView, meta: { title: 'Events' } },
    { path: '/settings', name: 'settings', component: SettingsView, meta: { title: 'Settings' } },
    { path: '/:rest(.*)*', redirect: '/fleet' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (session.signedIn === null) await checkSession();
  if (session.signedIn) return true;
  return { name: 'signin', query: { next: to.fullPath } };
});

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : 'Sign in';
  document.title = `${title} · wgfleet`;
});

// A 401 from any call: the session ended (expired, revoked, panel restarted with a new database).
setUnauthorizedHandler(() => {
  if (session.signedIn === false) return;
  session.signedIn = false;
  session.notice = 'Your session has ended. Please sign in again.';
  const current = router.currentRoute.value;
  if (!current.meta.public)
    void router.replace({ name: 'signin', query: { next: current.fullPath } });
});

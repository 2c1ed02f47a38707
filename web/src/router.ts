import { createRouter, createWebHistory } from 'vue-router';
import { setUnauthorizedHandler } from './api/client';
import { t } from './i18n';
import { checkSession, session } from './lib/session';
import SignInView from './views/SignInView.vue';
import FleetView from './views/FleetView.vue';
import NodeView from './views/NodeView.vue';
import ConfigurationsView from './views/ConfigurationsView.vue';
import PeersView from './views/PeersView.vue';
import EventsView from './views/EventsView.vue';
import SubscribersView from './views/SubscribersView.vue';
import SubscriberView from './views/SubscriberView.vue';
import AuditView from './views/AuditView.vue';
import SettingsView from './views/SettingsView.vue';
import WebhooksView from './views/WebhooksView.vue';
import AccountView from './views/AccountView.vue';
import UsersView from './views/UsersView.vue';
// The paths are shared with the panel, which serves index.html for them only.
import { UI_ROUTES } from '../../src/shared/ui-routes';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: UI_ROUTES.home, redirect: UI_ROUTES.fleet },
    { path: UI_ROUTES.signin, name: 'signin', component: SignInView, meta: { public: true } },
    { path: UI_ROUTES.fleet, name: 'fleet', component: FleetView, meta: { title: 'nav.fleet' } },
    {
      path: UI_ROUTES.node,
      name: 'node',
      component: NodeView,
      props: true,
      meta: { title: 'nav.fleet' },
    },
    {
      path: UI_ROUTES.configurations,
      name: 'configurations',
      component: ConfigurationsView,
      meta: { title: 'nav.configurations' },
    },
    {
      path: UI_ROUTES.peers,
      name: 'peers',
      component: PeersView,
      props: true,
      meta: { title: 'nav.peers' },
    },
    {
      path: UI_ROUTES.subscribers,
      name: 'subscribers',
      component: SubscribersView,
      meta: { title: 'nav.subscribers' },
    },
    {
      path: UI_ROUTES.subscriber,
      name: 'subscriber',
      component: SubscriberView,
      props: (r) => ({ id: Number(r.params.id) }),
      meta: { title: 'nav.subscribers' },
    },
    {
      path: UI_ROUTES.events,
      name: 'events',
      component: EventsView,
      meta: { title: 'nav.events' },
    },
    {
      path: UI_ROUTES.audit,
      name: 'audit',
      component: AuditView,
      meta: { title: 'nav.audit' },
    },
    {
      path: UI_ROUTES.webhooks,
      name: 'webhooks',
      component: WebhooksView,
      meta: { title: 'Webhooks' },
    },
    {
      path: UI_ROUTES.settings,
      name: 'settings',
      component: SettingsView,
      meta: { title: 'nav.settings' },
    },
    {
      path: UI_ROUTES.account,
      name: 'account',
      component: AccountView,
      meta: { title: 'nav.account' },
    },
    { path: UI_ROUTES.users, name: 'users', component: UsersView, meta: { title: 'nav.users' } },
    { path: '/:rest(.*)*', redirect: UI_ROUTES.fleet },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (session.signedIn === null) await checkSession();
  if (session.signedIn) return true;
  return { name: 'signin', query: { next: to.fullPath } };
});

/** The page's title, in the language in force (re-set when the language changes). */
export function pageTitle(): string {
  const meta = router.currentRoute.value.meta.title;
  return `${t(typeof meta === 'string' ? meta : 'signin.title')} · wgfleet`;
}
router.afterEach(() => {
  document.title = pageTitle();
});

// A 401 from any call: the session ended (expired, revoked, panel restarted with a new database).
setUnauthorizedHandler(() => {
  if (session.signedIn === false) return;
  session.signedIn = false;
  session.notice = 'session.ended';
  const current = router.currentRoute.value;
  if (!current.meta.public)
    void router.replace({ name: 'signin', query: { next: current.fullPath } });
});

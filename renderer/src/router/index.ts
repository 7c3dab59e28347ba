import { watch } from 'vue';
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { i18n, t } from '../i18n';

/** Hash history (meta.title is a catalogue key): the same routes work from the browser host and from file:// in Electron. */
const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/keys' },
  { path: '/clusters', name: 'clusters', component: () => import('../pages/ClustersPage.vue'), meta: { title: 'shell.title.clusters' } },
  {
    path: '/clusters/setup',
    name: 'cluster-setup-new',
    component: () => import('../pages/ClusterSetupPage.vue'),
    meta: { title: 'shell.title.clusterSetup', menu: 'clusters' },
  },
  {
    path: '/clusters/:clusterId/setup',
    name: 'cluster-setup',
    component: () => import('../pages/ClusterSetupPage.vue'),
    props: true,
    meta: { title: 'shell.title.clusterSetup', menu: 'clusters' },
  },
  {
    path: '/clusters/:clusterId',
    name: 'cluster',
    component: () => import('../pages/ClusterPage.vue'),
    props: true,
    meta: { title: 'shell.title.cluster', menu: 'clusters' },
  },
  {
    path: '/keystores/:keyStoreId',
    name: 'keystore',
    component: () => import('../pages/KeyStorePage.vue'),
    props: true,
    meta: { title: 'shell.title.keystore', menu: 'keystores' },
  },
  { path: '/keystores', name: 'keystores', component: () => import('../pages/KeyStoresPage.vue'), meta: { title: 'shell.title.keystores' } },
  { path: '/keys', name: 'keys', component: () => import('../pages/KeysPage.vue'), meta: { title: 'shell.title.keys' } },
  {
    path: '/keys/:keyId',
    name: 'key',
    component: () => import('../pages/KeyDetailPage.vue'),
    props: true,
    meta: { title: 'shell.title.key', menu: 'keys' },
  },
  { path: '/aliases', name: 'aliases', component: () => import('../pages/AliasesPage.vue'), meta: { title: 'shell.title.aliases' } },
  { path: '/secrets', name: 'secrets', component: () => import('../pages/SecretsPage.vue'), meta: { title: 'shell.title.secrets' } },
  {
    // One segment: a name's `/` arrives encoded (%2F), so prod/db/password opens one secret.
    path: '/secrets/:name',
    name: 'secret',
    component: () => import('../pages/SecretDetailPage.vue'),
    props: true,
    meta: { title: 'shell.title.secret', menu: 'secrets' },
  },
  {
    path: '/access-points',
    name: 'access-points',
    component: () => import('../pages/AccessPointsPage.vue'),
    meta: { title: 'shell.title.accessPoints' },
  },
  {
    path: '/xks-proxies',
    name: 'xks-proxies',
    component: () => import('../pages/XksProxiesPage.vue'),
    meta: { title: 'shell.title.xksProxies' },
  },
  { path: '/officers', name: 'officers', component: () => import('../pages/OfficersPage.vue'), meta: { title: 'shell.title.officers' } },
  { path: '/approvals', name: 'approvals', component: () => import('../pages/ApprovalsPage.vue'), meta: { title: 'shell.title.approvals' } },
  { path: '/ceremonies', name: 'ceremonies', component: () => import('../pages/CeremoniesPage.vue'), meta: { title: 'shell.title.ceremonies' } },
  {
    path: '/ceremonies/:ceremonyId',
    name: 'ceremony',
    component: () => import('../pages/CeremonyPage.vue'),
    props: true,
    meta: { title: 'shell.title.ceremony', menu: 'ceremonies' },
  },
  { path: '/audit', name: 'audit', component: () => import('../pages/AuditPage.vue'), meta: { title: 'shell.title.audit' } },
  { path: '/backup', name: 'backup', component: () => import('../pages/BackupPage.vue'), meta: { title: 'shell.title.backup' } },
  { path: '/:pathMatch(.*)*', redirect: '/keys' },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHashHistory(), routes });
  const setTitle = (): void => {
    const title = router.currentRoute.value.meta.title;
    document.title = typeof title === 'string' ? `${t(title)} · Keyward` : 'Keyward';
  };
  router.afterEach(setTitle);
  watch(i18n.global.locale, setTitle);
  return router;
}

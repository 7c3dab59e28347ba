import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';

/** Hash history: the same routes work from the browser host and from file:// in Electron. */
const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/keys' },
  { path: '/clusters', name: 'clusters', component: () => import('../pages/ClustersPage.vue'), meta: { title: 'Clusters' } },
  {
    path: '/clusters/setup',
    name: 'cluster-setup-new',
    component: () => import('../pages/ClusterSetupPage.vue'),
    meta: { title: 'Set up a cluster', menu: 'clusters' },
  },
  {
    path: '/clusters/:clusterId/setup',
    name: 'cluster-setup',
    component: () => import('../pages/ClusterSetupPage.vue'),
    props: true,
    meta: { title: 'Set up a cluster', menu: 'clusters' },
  },
  {
    path: '/clusters/:clusterId',
    name: 'cluster',
    component: () => import('../pages/ClusterPage.vue'),
    props: true,
    meta: { title: 'Cluster', menu: 'clusters' },
  },
  {
    path: '/keystores/:keyStoreId',
    name: 'keystore',
    component: () => import('../pages/KeyStorePage.vue'),
    props: true,
    meta: { title: 'Key store', menu: 'keystores' },
  },
  { path: '/keystores', name: 'keystores', component: () => import('../pages/KeyStoresPage.vue'), meta: { title: 'Key stores' } },
  { path: '/keys', name: 'keys', component: () => import('../pages/KeysPage.vue'), meta: { title: 'Keys' } },
  {
    path: '/keys/:keyId',
    name: 'key',
    component: () => import('../pages/KeyDetailPage.vue'),
    props: true,
    meta: { title: 'Key', menu: 'keys' },
  },
  { path: '/aliases', name: 'aliases', component: () => import('../pages/AliasesPage.vue'), meta: { title: 'Aliases' } },
  { path: '/secrets', name: 'secrets', component: () => import('../pages/SecretsPage.vue'), meta: { title: 'Secrets' } },
  {
    // One segment: a name's `/` arrives encoded (%2F), so prod/db/password opens one secret.
    path: '/secrets/:name',
    name: 'secret',
    component: () => import('../pages/SecretDetailPage.vue'),
    props: true,
    meta: { title: 'Secret', menu: 'secrets' },
  },
  {
    path: '/access-points',
    name: 'access-points',
    component: () => import('../pages/AccessPointsPage.vue'),
    meta: { title: 'Access points' },
  },
  {
    path: '/xks-proxies',
    name: 'xks-proxies',
    component: () => import('../pages/XksProxiesPage.vue'),
    meta: { title: 'XKS proxies' },
  },
  { path: '/officers', name: 'officers', component: () => import('../pages/OfficersPage.vue'), meta: { title: 'Officers' } },
  { path: '/approvals', name: 'approvals', component: () => import('../pages/ApprovalsPage.vue'), meta: { title: 'Approvals' } },
  { path: '/ceremonies', name: 'ceremonies', component: () => import('../pages/CeremoniesPage.vue'), meta: { title: 'Ceremonies' } },
  {
    path: '/ceremonies/:ceremonyId',
    name: 'ceremony',
    component: () => import('../pages/CeremonyPage.vue'),
    props: true,
    meta: { title: 'Ceremony', menu: 'ceremonies' },
  },
  { path: '/audit', name: 'audit', component: () => import('../pages/AuditPage.vue'), meta: { title: 'Audit' } },
  { path: '/backup', name: 'backup', component: () => import('../pages/BackupPage.vue'), meta: { title: 'Backup' } },
  { path: '/:pathMatch(.*)*', redirect: '/keys' },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHashHistory(), routes });
  router.afterEach((to) => {
    document.title = to.meta.title ? `${String(to.meta.title)} · Keyward` : 'Keyward';
  });
  return router;
}

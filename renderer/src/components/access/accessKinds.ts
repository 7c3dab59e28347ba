import '../../i18n/areas/access';

/**
 * The three kinds of object the Access points page lists (network rules, policies, access points):
 * the keys of what their list and dialog say, each a whole message so a language orders its words.
 */
export const ACCESS_KINDS = {
  networkRule: {
    count: 'access.networkRules.count',
    create: 'access.networkRules.create',
    edit: 'access.networkRules.edit',
    saveAction: 'access.networkRules.saveAction',
    deleteTitle: 'access.networkRules.deleteTitle',
    deleteAction: 'access.networkRules.deleteAction',
  },
  policy: {
    count: 'access.policies.count',
    create: 'access.policies.create',
    edit: 'access.policies.edit',
    saveAction: 'access.policies.saveAction',
    deleteTitle: 'access.policies.deleteTitle',
    deleteAction: 'access.policies.deleteAction',
  },
  accessPoint: {
    count: 'access.accessPoints.count',
    create: 'access.accessPoints.create',
    edit: 'access.accessPoints.edit',
    saveAction: 'access.accessPoints.saveAction',
    deleteTitle: 'access.accessPoints.deleteTitle',
    deleteAction: 'access.accessPoints.deleteAction',
  },
} as const;

export type AccessKind = keyof typeof ACCESS_KINDS;

import type { z } from 'zod';
import { clusterOperations, type ClusterState } from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/clusters';

/**
 * The private key store form (the set-up wizard's step and the "Create key store" dialog): what the
 * officer typed is judged by the contract's own CreateKeyStore schema, so the console never accepts
 * what the host would refuse, nor refuses what it would accept.
 */
const createKeyStoreInput = clusterOperations.CreateKeyStore.input.shape;

export interface KeyStoreDraft {
  name: string;
  trustAnchor: string;
  password: string;
}

export interface KeyStoreDraftProblems {
  name: string;
  trustAnchor: string;
}

function problemOf(schema: z.ZodType, value: string): string {
  const result = schema.safeParse(value);
  return result.success ? '' : (result.error.issues[0]?.message ?? t('clusters.storeForm.notValid'));
}

/** Per-field problems ('' when acceptable); an empty field is not a problem yet, only not ready. */
export function keyStoreDraftProblems(draft: Omit<KeyStoreDraft, 'password'>): KeyStoreDraftProblems {
  const name = draft.name.trim();
  const anchor = draft.trustAnchor.trim();
  const nameProblem = name ? problemOf(createKeyStoreInput.KeyStoreName, name) : '';
  const anchorProblem = anchor ? problemOf(createKeyStoreInput.TrustAnchorCertificate, anchor) : '';
  return {
    name: nameProblem && t('clusters.storeForm.nameProblem', { problem: nameProblem }),
    trustAnchor: anchorProblem && t('clusters.storeForm.trustAnchorProblem', { problem: anchorProblem }),
  };
}

/** Every field filled in and accepted by the contract. */
export function keyStoreDraftReady(draft: KeyStoreDraft): boolean {
  if (!draft.name.trim() || !draft.trustAnchor.trim() || !draft.password) return false;
  if (problemOf(createKeyStoreInput.KeyStorePassword, draft.password)) return false;
  const problems = keyStoreDraftProblems(draft);
  return !problems.name && !problems.trustAnchor;
}

/** The name the form suggests: the cluster's, within the contract's 64 characters and alphabet. */
export function suggestedKeyStoreName(clusterName: string): string {
  return `${clusterName.replace(/[^A-Za-z0-9 ._-]+/g, '-')}-store`.slice(0, 64);
}

/**
 * Where "Create key store" is offered: an activated cluster (CreateKeyStore refuses others) that is
 * bound to no key store (the wizard was left at that step, or its store was deleted).
 */
export function canCreateKeyStore(cluster: { State: ClusterState; KeyStoreId: string | null }): boolean {
  return (cluster.State === 'ACTIVE' || cluster.State === 'DEGRADED') && cluster.KeyStoreId === null;
}

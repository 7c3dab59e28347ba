import type { ClusterState, ConnectionState } from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/clusters';

/**
 * The set-up of a private key store on an HSM cluster (seeds 000 and 002), as ordered steps. Where
 * to resume is read from the host's state (cluster, members, crypto users, key store), never from
 * anything this window remembers: another officer, or the CLI, may have moved it on. Each step names
 * the catalogue keys of its title and description in the rail.
 */
export const SETUP_STEPS = [
  { id: 'module', title: 'clusters.setup.steps.module.title', description: 'clusters.setup.steps.module.description' },
  { id: 'cluster', title: 'clusters.setup.steps.cluster.title', description: 'clusters.setup.steps.cluster.description' },
  { id: 'hsms', title: 'clusters.setup.steps.hsms.title', description: 'clusters.setup.steps.hsms.description' },
  { id: 'initialize', title: 'clusters.setup.steps.initialize.title', description: 'clusters.setup.steps.initialize.description' },
  { id: 'activate', title: 'clusters.setup.steps.activate.title', description: 'clusters.setup.steps.activate.description' },
  { id: 'crypto-user', title: 'clusters.setup.steps.cryptoUser.title', description: 'clusters.setup.steps.cryptoUser.description' },
  { id: 'key-store', title: 'clusters.setup.steps.keyStore.title', description: 'clusters.setup.steps.keyStore.description' },
  { id: 'connect', title: 'clusters.setup.steps.connect.title', description: 'clusters.setup.steps.connect.description' },
  { id: 'first-key', title: 'clusters.setup.steps.firstKey.title', description: 'clusters.setup.steps.firstKey.description' },
] as const;

export type SetupStepId = (typeof SETUP_STEPS)[number]['id'] | 'done';

/** A step's title in the rail, in the console's language ('' for 'done', which has no step of its own). */
export function stepTitle(id: SetupStepId): string {
  const step = SETUP_STEPS.find((candidate) => candidate.id === id);
  return step ? t(step.title) : '';
}

/** A step's one-line description in the rail. */
export function stepDescription(id: SetupStepId): string {
  const step = SETUP_STEPS.find((candidate) => candidate.id === id);
  return step ? t(step.description) : '';
}

export interface MemberLike {
  Zone: string;
}

export interface SetupFacts {
  /** Registered modules that can hold cluster members (the built-in one cannot; read before a cluster exists). */
  moduleCount: number;
  cluster: null | { State: ClusterState; LabCluster: boolean; Hsms: readonly MemberLike[] };
  hasKmsUser: boolean;
  keyStore: null | { ConnectionState: ConnectionState; KeyCount: number };
}

/** Two HSMs in different zones, or one in a lab cluster: what ActivateCluster will ask for. */
export function membersSuffice(lab: boolean, members: readonly MemberLike[]): boolean {
  if (lab) return members.length >= 1;
  return new Set(members.map((member) => member.Zone)).size >= 2;
}

export interface MemberState extends MemberLike {
  HsmId: string;
  State: 'UNINITIALIZED' | 'INITIALIZED';
}

/**
 * What DeleteHsm allows: any member before initialization or before it joined; afterwards never the
 * first member (it holds the owner key), and others only while the rest still suffices.
 */
export function memberRemovable(cluster: { State: ClusterState; LabCluster: boolean; Hsms: readonly MemberState[] }, hsmId: string): boolean {
  const member = cluster.Hsms.find((candidate) => candidate.HsmId === hsmId);
  if (!member) return false;
  if (cluster.State === 'UNINITIALIZED' || member.State === 'UNINITIALIZED') return true;
  if (cluster.Hsms[0]?.HsmId === hsmId) return false;
  const rest = cluster.Hsms.filter((candidate) => candidate.HsmId !== hsmId && candidate.State === 'INITIALIZED');
  return membersSuffice(cluster.LabCluster, rest);
}

export function membersRequirement(lab: boolean): string {
  return lab ? t('clusters.setup.membersLab') : t('clusters.setup.membersTwoZones');
}

/** The first step that is not done yet, from the host's state. */
export function resumeStep(facts: SetupFacts): SetupStepId {
  const { cluster } = facts;
  if (!cluster) return facts.moduleCount > 0 ? 'cluster' : 'module';
  if (cluster.State === 'UNINITIALIZED') return membersSuffice(cluster.LabCluster, cluster.Hsms) ? 'initialize' : 'hsms';
  if (cluster.State === 'INITIALIZED') return 'activate';
  if (!facts.hasKmsUser) return 'crypto-user';
  if (!facts.keyStore) return 'key-store';
  if (facts.keyStore.ConnectionState !== 'CONNECTED') return 'connect';
  if (facts.keyStore.KeyCount === 0) return 'first-key';
  return 'done';
}

export function stepIndex(step: SetupStepId): number {
  if (step === 'done') return SETUP_STEPS.length;
  return SETUP_STEPS.findIndex((candidate) => candidate.id === step);
}

/** `KEY=value` lines (blank lines and # comments ignored) → a module's environment, or a problem. */
export function parseEnvironment(text: string): { ok: true; environment: Record<string, string> } | { ok: false; problem: string } {
  const environment: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const separator = line.indexOf('=');
    const name = separator > 0 ? line.slice(0, separator).trim() : '';
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(name)) return { ok: false, problem: t('clusters.setup.environmentLine', { line: index + 1 }) };
    environment[name] = line.slice(separator + 1).trim();
  }
  return { ok: true, environment };
}

/**
 * The runtime view of a cluster's members: which HsmModuleClient (worker) serves each member, how
 * to probe it, and what its token can do. Network HSMs reached through p11-kit-client (0.24) lose
 * AES key wrap and AES-GCM on the way, so every choice of mechanism is made per member.
 */
import { KmsError } from '../../../../shared/errors';
import { bindToken, type HsmModuleClient, type HsmToken, type SlotDescription } from '../../hsm';
import type { HsmRow } from '../../registry';
import { moduleSpecOf } from '../modules/module-service';
import type { TokenMember } from '../keystores/connections';
import type { ServiceContext } from '../service-context';

export interface Member {
  row: HsmRow;
  client: HsmModuleClient;
  moduleName: string;
  network: boolean;
}

export type MemberHealth = 'HEALTHY' | 'UNREACHABLE' | 'TOKEN_NOT_PRESENT' | 'NOT_INITIALIZED';

export interface MemberCapabilities {
  aesKeyWrap: boolean;
  aesGcm: boolean;
  /** Mechanism names the token lists (after whatever a network hop removed). */
  mechanisms: ReadonlySet<string>;
}

export interface MemberProbe {
  health: MemberHealth;
  capabilities: MemberCapabilities | null;
  slot: SlotDescription | null;
}

/** A reachability check answers within this, whatever the module's own call timeout (it includes
 * starting a fresh worker process, which takes seconds on a loaded machine). */
const PROBE_TIMEOUT_MS = 8_000;
const RECYCLE_GRACE_MS = 500;

function isNetworkModule(path: string, env: Record<string, string>): boolean {
  return 'P11_KIT_SERVER_ADDRESS' in env || /p11-kit-client/.test(path);
}

export function memberOf(context: ServiceContext, row: HsmRow): Member {
  const module = context.registry.modules.get(row.moduleId);
  if (!module) throw new KmsError('NotFound.Module', `Module ${row.moduleId} of HSM ${row.id} is not registered.`);
  const spec = moduleSpecOf(module);
  return { row, client: context.hsm.client(spec), moduleName: module.name, network: isNetworkModule(spec.path, spec.env) };
}

/** The member's token through its client, by the recorded serial (none before initialization: its calls then fail). */
export function memberToken(member: Member): HsmToken {
  return bindToken(member.client, member.row.tokenSerial ?? '');
}

export function membersOf(context: ServiceContext, clusterId: string): Member[] {
  return context.registry.hsms.listByCluster(clusterId).map((row) => memberOf(context, row));
}

export function capabilitiesOf(slot: SlotDescription, network: boolean): MemberCapabilities {
  const mechanisms = new Set(slot.mechanisms.map((mechanism) => mechanism.name));
  // p11-kit 0.24 may list what it then cannot carry; never pick these through it.
  return {
    aesKeyWrap: !network && mechanisms.has('CKM_AES_KEY_WRAP_PAD'),
    aesGcm: !network && mechanisms.has('CKM_AES_GCM'),
    mechanisms,
  };
}

/** The slot holding the member's token: by serial once known, by slot id before initialization. */
export function memberSlot(row: HsmRow, slots: SlotDescription[]): SlotDescription | null {
  if (row.tokenSerial) return slots.find((slot) => slot.token?.serial === row.tokenSerial) ?? null;
  return slots.find((slot) => slot.slotId === row.slotId) ?? null;
}

/**
 * Asks the member's module for its slots. A network member whose server went away answers with a
 * device error (the client then restarts its worker) or, when the worker started while the server
 * was down, with no token at all: then the worker is recycled so the next probe initializes the
 * module afresh and finds a server that came back.
 */
export async function probeMember(member: Member, timeoutMs = PROBE_TIMEOUT_MS): Promise<MemberProbe> {
  const first = await probeOnce(member, timeoutMs);
  // A slow answer is not a dead member: its worker (and the logins it holds) stays; if the server
  // really hangs, the call's own timeout ends that worker later.
  if (first.health !== 'UNREACHABLE' || !member.network || first.timedOut) return first;
  // p11-kit's client never recovers by itself (a dead connection answers CKR_DEVICE_ERROR forever,
  // a worker started while the server was down sees no slot): a fresh worker looks again.
  await member.client.recycle('device-error', RECYCLE_GRACE_MS).catch(() => undefined);
  return probeOnce(member, timeoutMs);
}

async function probeOnce(member: Member, timeoutMs: number): Promise<MemberProbe & { timedOut?: boolean }> {
  let slots: SlotDescription[];
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  try {
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error('probe timed out'));
      }, timeoutMs);
    });
    slots = await Promise.race([member.client.listSlots(), timeout]);
  } catch {
    return { health: 'UNREACHABLE', capabilities: null, slot: null, timedOut };
  } finally {
    clearTimeout(timer);
  }
  const slot = memberSlot(member.row, slots);
  if (!slot || !slot.token) {
    return { health: member.network ? 'UNREACHABLE' : 'TOKEN_NOT_PRESENT', capabilities: null, slot: null };
  }
  const capabilities = capabilitiesOf(slot, member.network);
  return { health: slot.token.initialized ? 'HEALTHY' : 'NOT_INITIALIZED', capabilities, slot };
}

export interface ProbedMember extends MemberProbe {
  member: Member;
}

/** Probes every member of a cluster at once (members that have not joined yet included). */
export function probeCluster(context: ServiceContext, clusterId: string): Promise<ProbedMember[]> {
  return probeAll(membersOf(context, clusterId));
}

/**
 * Probes the members that are part of the cluster's key store: an HSM added to an initialized
 * cluster holds nothing (no domain key, no kmsuser) until JoinHsm brings it in.
 */
export function probeJoinedMembers(context: ServiceContext, clusterId: string): Promise<ProbedMember[]> {
  return probeAll(membersOf(context, clusterId).filter((member) => member.row.state === 'INITIALIZED'));
}

function probeAll(members: Member[]): Promise<ProbedMember[]> {
  return Promise.all(members.map(async (member) => ({ member, ...(await probeMember(member)) })));
}

/** The connection-side description of a member token (what crypto routing and replication need). */
export function tokenMemberOf(probed: ProbedMember): TokenMember {
  const { member, capabilities } = probed;
  // A member that did not answer is assumed to offer what its kind of module offers.
  return {
    hsmId: member.row.id,
    moduleName: member.moduleName,
    network: member.network,
    aesGcm: capabilities ? capabilities.aesGcm : !member.network,
    aesKeyWrap: capabilities ? capabilities.aesKeyWrap : !member.network,
  };
}

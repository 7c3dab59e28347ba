import { randomUUID } from 'node:crypto';
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { moduleSpecKey } from '../../hsm';
import { RegistryConstraintError, type ModuleRow } from '../../registry';
import type { ModuleSpec } from '../../hsm/types';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { approveLibrary, type ModuleApprovalOptions } from './module-approval';
import { suggestModules } from './module-suggestions';

export class ModuleService {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
    private readonly approval: ModuleApprovalOptions,
  ) {}

  /**
   * Checks that the library may be loaded at all, then loads it once in its own worker (a bad
   * library crashes only that) before recording it.
   */
  async register(input: ParsedInput<'RegisterModule'>, request: RequestContext): Promise<OperationResult<'RegisterModule'>> {
    const { registry, hsm } = this.context;
    const spec: ModuleSpec = { path: input.Path, env: input.Environment };
    await approveLibrary(input.Path, request, this.context.dataDir, this.approval);
    const key = moduleSpecKey(spec);
    const existing = registry.modules.list().find((row) => moduleSpecKey(moduleSpecOf(row)) === key);
    if (existing) throw new KmsError('AlreadyExists.Module', `This library with this environment is already registered as ${existing.id}.`);
    const known = hsm.has(spec);
    try {
      await hsm.client(spec).libraryInfo();
    } catch {
      if (!known) await hsm.close(spec);
      // A fixed message: the loader's reason ("No such file", "invalid ELF header") describes files.
      throw new KmsError('HsmError.ModuleLoadFailed', `${input.Path} could not be loaded and initialized as a PKCS#11 module.`);
    }
    const id = `mod-${randomUUID()}`;
    const row: ModuleRow = { id, name: input.Name, path: input.Path, envJson: JSON.stringify(input.Environment), builtin: false, createdAt: isoNow(this.context) };
    // Audit details are flat: the environment goes in as one JSON text, variables sorted by name.
    const details = { Path: input.Path, Name: input.Name, Environment: JSON.stringify(sortedByName(input.Environment)) };
    this.audit.recordChange(request, { operation: 'RegisterModule', resourceId: id, details }, () => registry.modules.insert(row));
    return { ModuleId: id };
  }

  async deregister(input: ParsedInput<'DeregisterModule'>, request: RequestContext): Promise<OperationResult<'DeregisterModule'>> {
    const { registry } = this.context;
    const row = registry.modules.get(input.ModuleId);
    if (!row) throw new KmsError('NotFound.Module', `Module ${input.ModuleId} is not registered.`);
    if (row.builtin) throw new KmsError('Forbidden.ModuleInUse', `Module ${row.id} backs the default key store.`);
    const hsms = registry.hsms.countByModule(row.id);
    if (hsms > 0) throw new KmsError('Forbidden.ModuleInUse', `Module ${row.id} serves ${hsms} cluster HSM(s); remove them first.`);
    try {
      this.audit.recordChange(request, { operation: 'DeregisterModule', resourceId: row.id }, () => registry.modules.delete(row.id));
    } catch (error) {
      if (error instanceof RegistryConstraintError) throw new KmsError('Forbidden.ModuleInUse', `Module ${row.id} is used by a key store.`);
      throw error;
    }
    await this.context.hsm.close(moduleSpecOf(row));
    return { ModuleId: row.id };
  }

  list(): OperationResult<'ListModules'> {
    return {
      Modules: this.context.registry.modules.list().map((row) => ({
        ModuleId: row.id,
        Name: row.name,
        Path: row.path,
        Builtin: row.builtin,
        Environment: moduleSpecOf(row).env,
      })),
      Suggestions: suggestModules(new Set(this.context.registry.modules.list().map((row) => row.path))),
    };
  }

  async describe(input: ParsedInput<'DescribeModule'>): Promise<OperationResult<'DescribeModule'>> {
    const row = this.context.registry.modules.get(input.ModuleId);
    if (!row) throw new KmsError('NotFound.Module', `Module ${input.ModuleId} is not registered.`);
    const client = this.context.hsm.client(moduleSpecOf(row));
    const [info, slots] = await Promise.all([client.libraryInfo(), client.listSlots()]);
    return {
      Module: {
        ModuleId: row.id,
        Name: row.name,
        Path: row.path,
        Builtin: row.builtin,
        Environment: moduleSpecOf(row).env,
        LibraryInfo: {
          Description: info.description,
          Manufacturer: info.manufacturer,
          CryptokiVersion: info.cryptokiVersion,
          LibraryVersion: info.libraryVersion,
        },
        Slots: slots.map((slot) => ({
          SlotId: slot.slotId,
          Description: slot.description,
          TokenPresent: slot.tokenPresent,
          Token: slot.token
            ? {
                Label: slot.token.label,
                Serial: slot.token.serial,
                Model: slot.token.model,
                Manufacturer: slot.token.manufacturer,
                Initialized: slot.token.initialized,
                UserPinInitialized: slot.token.userPinInitialized,
                LoginRequired: slot.token.loginRequired,
                UserPinLocked: slot.token.userPinLocked,
                SoPinLocked: slot.token.soPinLocked,
              }
            : null,
          Mechanisms: slot.mechanisms.map((mechanism) => ({
            Name: mechanism.name,
            Type: mechanism.type,
            MinKeySize: mechanism.minKeySize,
            MaxKeySize: mechanism.maxKeySize,
            Flags: mechanism.flags,
          })),
        })),
      },
    };
  }
}

function sortedByName(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function moduleSpecOf(row: ModuleRow): ModuleSpec {
  const env = JSON.parse(row.envJson) as Record<string, string>;
  return { path: row.path, env };
}

import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { ModuleRow } from '../../registry';
import type { ModuleSpec } from '../../hsm/types';
import type { ServiceContext } from '../service-context';

export class ModuleService {
  constructor(private readonly context: ServiceContext) {}

  list(): OperationResult<'ListModules'> {
    return {
      Modules: this.context.registry.modules.list().map((row) => ({
        ModuleId: row.id,
        Name: row.name,
        Path: row.path,
        Builtin: row.builtin,
      })),
      Suggestions: [],
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

export function moduleSpecOf(row: ModuleRow): ModuleSpec {
  const env = JSON.parse(row.envJson) as Record<string, string>;
  return { path: row.path, env };
}

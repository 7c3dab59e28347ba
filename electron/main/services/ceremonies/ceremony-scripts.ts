import { ceremonyScriptSchema, type CeremonyScript, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { canonicalJson, RegistryConstraintError } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { BUILT_IN_SCRIPTS } from './built-in-scripts';
import { validateBuiltInScript, validateScriptText, type ValidatedScript } from './script-validation';

export interface ResolvedScript {
  script: CeremonyScript;
  sha256: string;
  builtIn: boolean;
}

type ScriptSummary = OperationResult<'ImportCeremonyScript'>;

function summaryOf(resolved: ResolvedScript): ScriptSummary {
  const { script } = resolved;
  return { Name: script.Name, Title: script.Title, Description: script.Description, BuiltIn: resolved.builtIn, Sha256: resolved.sha256, Script: script };
}

/**
 * The ceremony scripts: the built-in ones (checked once here, so a broken built-in stops start-up
 * and fails its unit test rather than a ceremony) and the imported ones kept in the registry.
 */
export class CeremonyScripts {
  private readonly builtIns: ReadonlyMap<string, ValidatedScript>;

  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
  ) {
    this.builtIns = new Map(BUILT_IN_SCRIPTS.map((script) => [script.Name, validateBuiltInScript(script)]));
  }

  list(): OperationResult<'ListCeremonyScripts'> {
    const builtIn = [...this.builtIns.values()].map((validated) => summaryOf({ ...validated, builtIn: true }));
    const imported = this.context.registry.ceremonies.listScripts().map((row) => summaryOf(this.fromRow(row)));
    return { Scripts: [...builtIn, ...imported] };
  }

  import(input: ParsedInput<'ImportCeremonyScript'>, request: RequestContext): OperationResult<'ImportCeremonyScript'> {
    const { script, sha256 } = validateScriptText(input.Script);
    if (this.builtIns.has(script.Name)) throw new KmsError('AlreadyExists.CeremonyScript', `Ceremony script ${script.Name} is a built-in script; import it under another name.`);
    const row = { name: script.Name, title: script.Title, script: canonicalJson(script), sha256, importedBy: request.actor, importedAt: isoNow(this.context) };
    try {
      this.audit.recordChange(request, { operation: 'ImportCeremonyScript', resourceId: script.Name, details: { Name: script.Name, Sha256: sha256 } }, () =>
        this.context.registry.ceremonies.insertScript(row),
      );
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') {
        throw new KmsError('AlreadyExists.CeremonyScript', `Ceremony script ${script.Name} exists already; import a changed script under a new name.`);
      }
      throw error;
    }
    return summaryOf({ script, sha256, builtIn: false });
  }

  /** Throws NotFound.CeremonyScript. */
  get(name: string): ResolvedScript {
    const builtIn = this.builtIns.get(name);
    if (builtIn) return { ...builtIn, builtIn: true };
    const row = this.context.registry.ceremonies.getScript(name);
    if (!row) throw new KmsError('NotFound.CeremonyScript', `No ceremony script named ${name}.`);
    return this.fromRow(row);
  }

  /** A stored script was validated on import; its shape is parsed again for the defaults' types. */
  private fromRow(row: { script: string; sha256: string }): ResolvedScript {
    return { script: ceremonyScriptSchema.parse(JSON.parse(row.script)), sha256: row.sha256, builtIn: false };
  }
}

import type { CeremonyScriptInput } from '../../../../shared/contract';
import { byokImportScript } from './scripts/byok-import';
import { hsmClusterKeyStoreScript } from './scripts/hsm-cluster-key-store';
import { keyDestructionScript } from './scripts/key-destruction';
import { rootSigningKeyScript } from './scripts/root-signing-key';

/** The scripts every Keyward has, in the order ListCeremonyScripts shows them; validated at start-up (ceremony-scripts.ts). */
export const BUILT_IN_SCRIPTS: readonly CeremonyScriptInput[] = [hsmClusterKeyStoreScript, rootSigningKeyScript, byokImportScript, keyDestructionScript];

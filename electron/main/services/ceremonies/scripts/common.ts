import type { CeremonyScriptInput } from '../../../../../shared/contract';

/** Who every built-in script needs: one administrator runs it, two witnesses sign its steps off. */
export const ADMINISTRATOR_AND_TWO_WITNESSES: CeremonyScriptInput['Roles'] = [
  { Role: 'CEREMONY_ADMINISTRATOR', Count: 1 },
  { Role: 'WITNESS', Count: 2 },
];

/** How every built-in ceremony opens. */
export const ROSTER_CHECK = 'The ceremony administrator checks the identity of every participant against the ceremony roster and reads the script aloud.';

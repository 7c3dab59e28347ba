/**
 * Which environment variables a registered PKCS#11 module may set in its worker process. The
 * worker is a Node process that loads native code, so a free choice of variables (NODE_OPTIONS,
 * LD_PRELOAD, PATH, …) is code execution for whoever can call RegisterModule. Only variables a
 * PKCS#11 library reads as data are allowed, and only those whose file format cannot name code to
 * load: OPENSC_CONF is deliberately absent, because opensc.conf can load card-driver and PKCS#15
 * emulator modules. The same check runs in the contract schema and again in the hsm layer, where
 * the worker environment is built (registry rows from before this rule are not trusted either).
 */

interface VariableRule {
  /** What the library reads it for (shown in the refusal message). */
  purpose: string;
  value: RegExp;
  valueRule: string;
}

const ABSOLUTE_FILE = /^\/./;

export const MODULE_ENVIRONMENT_RULES: Readonly<Record<string, VariableRule>> = {
  /** SoftHSM2's configuration file: token directory, object store backend, log level. */
  SOFTHSM2_CONF: { purpose: 'SoftHSM2 configuration file', value: ABSOLUTE_FILE, valueRule: 'an absolute file path' },
  /** p11-kit-client.so: where its `p11-kit server` listens. */
  P11_KIT_SERVER_ADDRESS: {
    purpose: 'p11-kit network HSM server address',
    value: /^(unix:path=\/.|vsock:)/,
    valueRule: 'a p11-kit address (unix:path=/… or vsock:…)',
  },
  /** Yubico's yubihsm_pkcs11.so: connector URL, timeouts, CA file. */
  YUBIHSM_PKCS11_CONF: { purpose: 'YubiHSM 2 PKCS#11 configuration file', value: ABSOLUTE_FILE, valueRule: 'an absolute file path' },
};

export const MODULE_ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(MODULE_ENVIRONMENT_RULES);

export const MAX_ENVIRONMENT_VALUE_LENGTH = 4096;

/** Names that change how a process loads code or finds programs: named in the refusal. */
const CODE_LOADING = /^(NODE_|LD_|DYLD_|ELECTRON_|GCONV_|MALLOC_)|^(PATH|IFS|PYTHONPATH|PERL5LIB|BASH_ENV|ENV)$/;

/** Control characters (NUL, newline, escape, …) have no place in a path or an address. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export interface EnvironmentProblem {
  /** The variable at fault; echoed only because it already passed the name pattern of the schema. */
  name: string;
  message: string;
}

function allowedList(): string {
  return MODULE_ENVIRONMENT_VARIABLES.join(', ');
}

/** The first reason this module environment must not reach a worker, or null when it may. */
export function moduleEnvironmentProblem(env: Readonly<Record<string, unknown>>): EnvironmentProblem | null {
  for (const [name, value] of Object.entries(env)) {
    const rule = Object.hasOwn(MODULE_ENVIRONMENT_RULES, name) ? MODULE_ENVIRONMENT_RULES[name] : undefined;
    if (!rule) {
      const why = CODE_LOADING.test(name) ? 'it changes how the worker process loads code' : 'PKCS#11 libraries do not need it';
      return { name, message: `${name} is refused (${why}); a module may set only ${allowedList()}.` };
    }
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ENVIRONMENT_VALUE_LENGTH) {
      return { name, message: `${name} must be a non-empty string of at most ${MAX_ENVIRONMENT_VALUE_LENGTH} characters.` };
    }
    if (hasControlCharacter(value)) return { name, message: `${name} must not contain control characters (NUL, newline, …).` };
    if (!rule.value.test(value)) return { name, message: `${name} (${rule.purpose}) must be ${rule.valueRule}.` };
  }
  return null;
}

import { contract, isOperationName, type CeremonyStep } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';

/*
 * The template language of a ceremony step's Input: `${name}` (a parameter), `${secret:name}` (a
 * secret parameter, only as the whole value of a top-level secret field of the operation) and
 * `${steps.<StepId>.<Output>}` (a VALUE output of an earlier step). Validation (script-validation.ts)
 * and filling share the one parser below, so what validation accepts is exactly what fills.
 */

export type Placeholder =
  | { kind: 'parameter'; name: string }
  | { kind: 'secret'; name: string }
  | { kind: 'output'; stepId: string; output: string }
  /** `${...}` whose inside is none of the above: refused by validation, never filled. */
  | { kind: 'malformed'; text: string };

export interface TemplateValues {
  parameters: Record<string, string>;
  secrets: Record<string, string>;
  /** stepId -> output name -> VALUE */
  outputs: Record<string, Record<string, string>>;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const VALUE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const STEP_ID = /^[a-z][a-z0-9-]{0,63}$/;

export function parsePlaceholder(inner: string): Placeholder {
  if (inner.startsWith('secret:')) {
    const name = inner.slice('secret:'.length);
    return VALUE_NAME.test(name) ? { kind: 'secret', name } : { kind: 'malformed', text: inner };
  }
  if (inner.startsWith('steps.')) {
    const [stepId = '', output = '', ...rest] = inner.slice('steps.'.length).split('.');
    return rest.length === 0 && STEP_ID.test(stepId) && VALUE_NAME.test(output) ? { kind: 'output', stepId, output } : { kind: 'malformed', text: inner };
  }
  return VALUE_NAME.test(inner) ? { kind: 'parameter', name: inner } : { kind: 'malformed', text: inner };
}

/** Every placeholder of one string, in order. */
export function placeholdersIn(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => parsePlaceholder(match[1] ?? ''));
}

/** The placeholder a string is made of entirely, if it is exactly one. */
export function wholePlaceholder(text: string): Placeholder | null {
  const match = /^\$\{([^}]*)\}$/.exec(text);
  return match ? parsePlaceholder(match[1] ?? '') : null;
}

/** The operation's secret input fields (none for a step without a known operation). */
export function secretFieldsOf(operation: string | undefined): readonly string[] {
  return operation !== undefined && isOperationName(operation) ? contract[operation].secretFields : [];
}

/** How a placeholder is named in an error: its name only, never its value. */
export function describePlaceholder(placeholder: Placeholder): string {
  switch (placeholder.kind) {
    case 'parameter':
      return `parameter "${placeholder.name}"`;
    case 'secret':
      return `secret parameter "${placeholder.name}"`;
    case 'output':
      return `output "${placeholder.output}" of step "${placeholder.stepId}"`;
    case 'malformed':
      return `placeholder "\${${placeholder.text.slice(0, 64)}}"`;
  }
}

/**
 * Fills step.Input. `input` is what runs (secrets included); `recorded` is the same with every
 * secret field of the operation removed. Throws KmsError MissingParameter naming (never showing) a
 * missing value.
 */
export function fillTemplate(step: CeremonyStep, values: TemplateValues): { input: Record<string, unknown>; recorded: Record<string, unknown> } {
  const secretFields = secretFieldsOf(step.Operation);
  const input: Record<string, unknown> = {};
  const recorded: Record<string, unknown> = {};
  for (const [field, template] of Object.entries(step.Input ?? {})) {
    if (secretFields.includes(field)) {
      input[field] = fillSecretField(step.StepId, field, template, values);
      continue;
    }
    const filled = asFieldValue(step.Operation, field, template, fillValue(step.StepId, field, template, values));
    input[field] = filled;
    recorded[field] = filled;
  }
  return { input, recorded };
}

/**
 * Values are strings, but some fields take a number (a deletion's PendingWindowInDays): a field that
 * is exactly one placeholder becomes a number when the operation's schema takes the number and not
 * the string. Anything else is left for the operation's own validation to refuse.
 */
function asFieldValue(operation: string | undefined, field: string, template: unknown, filled: unknown): unknown {
  if (typeof template !== 'string' || typeof filled !== 'string' || wholePlaceholder(template) === null) return filled;
  if (operation === undefined || !isOperationName(operation) || !/^-?\d+(\.\d+)?$/.test(filled)) return filled;
  const schema = (contract[operation].input.shape as Record<string, { safeParse(value: unknown): { success: boolean } } | undefined>)[field];
  if (!schema || schema.safeParse(filled).success) return filled;
  const number = Number(filled);
  return schema.safeParse(number).success ? number : filled;
}

/** A secret field: a literal, or exactly one `${secret:name}`; never any other placeholder. */
function fillSecretField(stepId: string, field: string, template: unknown, values: TemplateValues): unknown {
  if (typeof template !== 'string') return fillValue(stepId, field, template, values);
  const whole = wholePlaceholder(template);
  if (whole?.kind === 'secret') return lookUp(stepId, field, whole, values);
  return fillValue(stepId, field, template, values);
}

function fillValue(stepId: string, field: string, template: unknown, values: TemplateValues): unknown {
  if (typeof template === 'string') return fillString(stepId, field, template, values);
  if (Array.isArray(template)) return template.map((item) => fillValue(stepId, field, item, values));
  if (typeof template === 'object' && template !== null) {
    const filled: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(template)) filled[key] = fillValue(stepId, field, item, values);
    return filled;
  }
  return template;
}

function fillString(stepId: string, field: string, template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_match, inner: string) => {
    const placeholder = parsePlaceholder(inner);
    // Validation keeps secrets out of anything but a whole secret field; refusing here as well
    // means a secret can never be spliced into a recorded value, whatever the script.
    if (placeholder.kind === 'secret') {
      throw new KmsError('InvalidCeremonyScript', `Step ${stepId}, field ${field}: a ${describePlaceholder(placeholder)} may only be the whole value of a secret field`);
    }
    return lookUp(stepId, field, placeholder, values);
  });
}

function lookUp(stepId: string, field: string, placeholder: Placeholder, values: TemplateValues): string {
  const found = valueOf(placeholder, values);
  if (found === undefined) {
    throw new KmsError('MissingParameter', `Step ${stepId}, field ${field}: no value for ${describePlaceholder(placeholder)}`);
  }
  return found;
}

function valueOf(placeholder: Placeholder, values: TemplateValues): string | undefined {
  switch (placeholder.kind) {
    case 'parameter':
      return ownValue(values.parameters, placeholder.name);
    case 'secret':
      return ownValue(values.secrets, placeholder.name);
    case 'output': {
      const outputs = Object.hasOwn(values.outputs, placeholder.stepId) ? values.outputs[placeholder.stepId] : undefined;
      return outputs ? ownValue(outputs, placeholder.output) : undefined;
    }
    case 'malformed':
      return undefined;
  }
}

/** Own properties only: a name such as `constructor` never reaches Object.prototype. */
function ownValue(record: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

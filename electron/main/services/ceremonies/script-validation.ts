import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  ceremonyOperations,
  ceremonyScriptSchema,
  contract,
  isOperationName,
  MAX_CEREMONY_SCRIPT_BYTES,
  type CeremonyScript,
  type CeremonyScriptInput,
  type CeremonyStep,
} from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { canonicalJson } from '../../registry';
import { describePlaceholder, placeholdersIn, secretFieldsOf, wholePlaceholder, type Placeholder } from './ceremony-template';

/*
 * Checks a ceremony script whole, on import and for every built-in at start-up: first its size and
 * nesting (before JSON.parse or zod look at it, so a hostile text costs nothing), then its shape,
 * then what the shape cannot say (operations, placeholders, step order). Every refusal names the
 * step and field and quotes at most ECHO_LIMIT characters of the script.
 */

export const MAX_CEREMONY_SCRIPT_DEPTH = 16;
const ECHO_LIMIT = 100;

/**
 * Operations a step may never run: ceremony operations (a ceremony inside a ceremony), the
 * approval flow's own operations, and backups (they take the exclusive write gate the ceremony
 * step already holds: a deadlock).
 */
const REFUSED_OPERATIONS: ReadonlySet<string> = new Set([
  ...Object.keys(ceremonyOperations),
  'ApproveRequest',
  'RejectRequest',
  'ExecuteApprovedRequest',
  'CreateBackup',
  'RestoreBackup',
]);

export interface ValidatedScript {
  script: CeremonyScript;
  /** SHA-256 hex of the script's canonical JSON. */
  sha256: string;
}

/** A script as imported: JSON text. */
export function validateScriptText(text: string): ValidatedScript {
  if (Buffer.byteLength(text, 'utf8') > MAX_CEREMONY_SCRIPT_BYTES) refuse(`the script is larger than ${MAX_CEREMONY_SCRIPT_BYTES} bytes`);
  const depth = jsonTextDepth(text);
  if (depth > MAX_CEREMONY_SCRIPT_DEPTH) refuse(`the script nests deeper than ${MAX_CEREMONY_SCRIPT_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    refuse('the script is not valid JSON');
  }
  return validateScriptValue(parsed);
}

/** A script as a value (a built-in, or parsed JSON). */
export function validateScriptValue(value: unknown): ValidatedScript {
  if (valueDepth(value) > MAX_CEREMONY_SCRIPT_DEPTH) refuse(`the script nests deeper than ${MAX_CEREMONY_SCRIPT_DEPTH} levels`);
  const result = ceremonyScriptSchema.safeParse(value);
  if (!result.success) refuse(describeIssue(result.error, value));
  const script = result.data;
  checkSemantics(script);
  const canonical = canonicalJson(script);
  if (Buffer.byteLength(canonical, 'utf8') > MAX_CEREMONY_SCRIPT_BYTES) refuse(`the script is larger than ${MAX_CEREMONY_SCRIPT_BYTES} bytes as canonical JSON`);
  return { script, sha256: createHash('sha256').update(canonical, 'utf8').digest('hex') };
}

/** Typed entry for built-ins: the same checks, with the authoring type checked at compile time. */
export function validateBuiltInScript(script: CeremonyScriptInput): ValidatedScript {
  return validateScriptValue(script);
}

function checkSemantics(script: CeremonyScript): void {
  checkRoles(script);
  const earlier = new Map<string, CeremonyStep>();
  for (const step of script.Steps) {
    if (earlier.has(step.StepId)) refuse(`Step ${step.StepId}: StepId is used twice`);
    checkStep(step, earlier);
    earlier.set(step.StepId, step);
  }
}

function checkRoles(script: CeremonyScript): void {
  const seen = new Set<string>();
  for (const { Role } of script.Roles) {
    if (seen.has(Role)) refuse(`Roles: ${Role} is named twice`);
    seen.add(Role);
  }
  const participants = script.Roles.reduce((total, role) => total + role.Count, 0);
  // StartCeremony takes at most 16 participants.
  if (participants > 16) refuse(`Roles: ${participants} participants needed, at most 16 can take part`);
  const witnesses = script.Roles.find((role) => role.Role === 'WITNESS')?.Count ?? 0;
  for (const step of script.Steps) {
    if (step.WitnessSignOffs > witnesses) {
      refuse(`Step ${step.StepId}: WitnessSignOffs ${step.WitnessSignOffs} needs that many WITNESS participants, Roles names ${witnesses}`);
    }
  }
}

function checkStep(step: CeremonyStep, earlier: ReadonlyMap<string, CeremonyStep>): void {
  const where = `Step ${step.StepId}`;
  checkUnique(step.Parameters.map((parameter) => parameter.Name), `${where}, Parameters`);
  checkUnique(step.Outputs.map((output) => output.Name), `${where}, Outputs`);
  if (step.Operation === undefined) {
    if (step.Input !== undefined) refuse(`${where}: Input without an Operation`);
    if (step.Outputs.length > 0) refuse(`${where}: Outputs without an Operation`);
    if (step.Parameters.length > 0) refuse(`${where}: Parameters without an Operation`);
    return;
  }
  const operation = step.Operation;
  if (!isOperationName(operation)) refuse(`${where}, Operation: "${echo(operation)}" is not a Keyward operation`);
  if (REFUSED_OPERATIONS.has(operation) || contract[operation].file !== undefined) {
    refuse(`${where}, Operation: ${operation} cannot run inside a ceremony`);
  }
  const fields = Object.keys(contract[operation].input.shape);
  const used = new Set<string>();
  for (const [field, template] of Object.entries(step.Input ?? {})) {
    if (!fields.includes(field)) refuse(`${where}, Input: "${echo(field)}" is not a field of ${operation}`);
    checkField(step, field, template, earlier, used);
  }
  for (const parameter of step.Parameters) {
    if (!used.has(parameter.Name)) refuse(`${where}, Parameters: "${parameter.Name}" is declared but not used in Input`);
  }
}

function checkField(step: CeremonyStep, field: string, template: unknown, earlier: ReadonlyMap<string, CeremonyStep>, used: Set<string>): void {
  const where = `Step ${step.StepId}, field ${field}`;
  if (secretFieldsOf(step.Operation).includes(field)) {
    // A secret is never written in a script (scripts are published and copied into transcripts).
    const whole = typeof template === 'string' ? wholePlaceholder(template) : null;
    if (whole?.kind !== 'secret') refuse(`${where}: a secret field must be exactly \${secret:<name>}`);
    checkPlaceholder(step, where, whole, earlier, used);
    return;
  }
  for (const text of stringsIn(template)) {
    for (const placeholder of placeholdersIn(text)) {
      if (placeholder.kind === 'secret') refuse(`${where}: ${describePlaceholder(placeholder)} may only be the whole value of a secret field of the operation`);
      checkPlaceholder(step, where, placeholder, earlier, used);
    }
  }
}

function checkPlaceholder(step: CeremonyStep, where: string, placeholder: Placeholder, earlier: ReadonlyMap<string, CeremonyStep>, used: Set<string>): void {
  switch (placeholder.kind) {
    case 'malformed':
      refuse(`${where}: ${describePlaceholder(placeholder)} is not \${name}, \${secret:name} or \${steps.<StepId>.<Output>}`);
      break;
    case 'parameter':
    case 'secret': {
      const declared = step.Parameters.find((parameter) => parameter.Name === placeholder.name);
      if (!declared) refuse(`${where}: ${describePlaceholder(placeholder)} is not declared in Parameters`);
      if (declared.Secret !== (placeholder.kind === 'secret')) {
        refuse(`${where}: parameter "${placeholder.name}" is ${declared.Secret ? 'Secret (use ${secret:' + placeholder.name + '})' : 'not Secret'}`);
      }
      used.add(placeholder.name);
      break;
    }
    case 'output': {
      const source = earlier.get(placeholder.stepId);
      if (!source) refuse(`${where}: ${describePlaceholder(placeholder)}: no earlier step has that StepId`);
      const output = source.Outputs.find((candidate) => candidate.Name === placeholder.output);
      if (!output) refuse(`${where}: ${describePlaceholder(placeholder)}: that step declares no such output`);
      if (output.Kind !== 'VALUE') refuse(`${where}: ${describePlaceholder(placeholder)} is a SHA256 output; only VALUE outputs can be used`);
      break;
    }
  }
}

function checkUnique(names: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) refuse(`${where}: "${name}" is named twice`);
    seen.add(name);
  }
}

/** Every string inside a template value (object keys are literal, never filled). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Deepest nesting of objects and arrays in JSON text, counted without parsing it. */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      depth += 1;
      deepest = Math.max(deepest, depth);
      // No need to read further: the answer is "too deep" already.
      if (deepest > MAX_CEREMONY_SCRIPT_DEPTH) return deepest;
    } else if (char === '}' || char === ']') {
      depth -= 1;
    }
  }
  return deepest;
}

function valueDepth(value: unknown, depth = 0): number {
  if (depth > MAX_CEREMONY_SCRIPT_DEPTH) return depth;
  if (typeof value !== 'object' || value === null) return depth;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.reduce<number>((deepest, item) => Math.max(deepest, valueDepth(item, depth + 1)), depth + 1);
}

function describeIssue(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'the script does not match the script format';
  const [first, index, ...rest] = issue.path;
  const stepId = first === 'Steps' && typeof index === 'number' ? stepIdAt(value, index) : null;
  const segments = stepId === null ? issue.path : rest;
  const path = segments.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('').replace(/^\./, '');
  const where = stepId === null ? echo(path || 'script') : `Step ${echo(stepId)}${path ? `, field ${echo(path)}` : ''}`;
  return `${where}: ${echo(issue.message)}`;
}

/** The StepId of Steps[index] when it is a plausible one (it names the step in a refusal). */
function stepIdAt(value: unknown, index: number): string | null {
  if (typeof value !== 'object' || value === null || !('Steps' in value) || !Array.isArray(value.Steps)) return null;
  const step: unknown = value.Steps[index];
  if (typeof step !== 'object' || step === null || !('StepId' in step) || typeof step.StepId !== 'string') return `#${index + 1}`;
  return /^[a-z][a-z0-9-]{0,63}$/.test(step.StepId) ? step.StepId : `#${index + 1}`;
}

function echo(text: string, limit = ECHO_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function refuse(message: string): never {
  throw new KmsError('InvalidCeremonyScript', message);
}

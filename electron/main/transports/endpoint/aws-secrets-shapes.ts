import { KmsError } from '../../../../shared/errors';
import type { KeywardCall } from './aws-kms-shapes';

type Fields = Record<string, unknown>;

/** AWS staging labels and Keyward's (Alibaba's) names for the same two stages. */
const TO_KEYWARD_STAGE: Record<string, string> = { AWSCURRENT: 'ACSCurrent', AWSPREVIOUS: 'ACSPrevious' };
const TO_AWS_STAGE: Record<string, string> = { ACSCurrent: 'AWSCURRENT', ACSPrevious: 'AWSPREVIOUS' };

/** secretsmanager.GetSecretValue {SecretId, VersionId?, VersionStage?} → Keyward GetSecretValue. */
export function secretsRequestToKeyward(awsOperation: string, body: Fields): KeywardCall {
  if (awsOperation !== 'GetSecretValue') throw new KmsError('InvalidAction', `secretsmanager.${printable(awsOperation)} is not served by Keyward.`);
  const input: Fields = { SecretName: secretNameOf(body.SecretId) };
  if (body.VersionId !== undefined) input.VersionId = body.VersionId;
  if (body.VersionStage !== undefined) {
    input.VersionStage = typeof body.VersionStage === 'string' ? (TO_KEYWARD_STAGE[body.VersionStage] ?? body.VersionStage) : body.VersionStage;
  }
  return { operation: 'GetSecretValue', input };
}

export function keywardToSecretsResponse(output: Fields): Fields {
  const stages = Array.isArray(output.VersionStages) ? output.VersionStages.map((stage) => (typeof stage === 'string' ? (TO_AWS_STAGE[stage] ?? stage) : stage)) : [];
  const value = output.SecretDataType === 'binary' ? { SecretBinary: output.SecretData } : { SecretString: output.SecretData };
  const created = typeof output.CreateTime === 'string' ? Date.parse(output.CreateTime) / 1000 : undefined;
  return { Name: output.SecretName, VersionId: output.VersionId, VersionStages: stages, ...value, ...(created ? { CreatedDate: created } : {}) };
}

/** SecretId is a name, Keyward's ARN (`acs:kms:…:secret/<name>`) or an AWS-style one (`arn:…:secret:<name>`). */
function secretNameOf(secretId: unknown): unknown {
  if (typeof secretId !== 'string') return secretId;
  const match = /^acs:kms:[^:]*:[^:]*:secret\/(.+)$/.exec(secretId) ?? /^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(secretId);
  return match?.[1] ?? secretId;
}

function printable(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}

import type { z } from 'zod';
import {
  certificatePemSchema,
  clusterOperations,
  xksProxyAuthenticationCredentialSchema,
  xksProxyUriEndpointSchema,
  xksKeyIdSchema,
  xksProxyUriPathSchema,
  type KeySpec,
  type OperationInput,
} from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/clusters';

/**
 * The external key store form (create, and "Edit proxy settings"): what the officer typed is judged
 * by the contract's own schemas, so the console neither accepts what CreateKeyStore / UpdateKeyStore
 * would refuse nor refuses what they accept.
 */
export const XKS_API_PATH = '/kms/xks/v1';

const credentialShape = xksProxyAuthenticationCredentialSchema.shape;
const nameSchema = clusterOperations.CreateKeyStore.input.shape.KeyStoreName;

export interface XksProxyDraft {
  endpoint: string;
  uriPath: string;
  accessKeyId: string;
  /** The secret access key: never shown back; empty in an edit keeps the current credential. */
  secret: string;
  /** Optional: without it the proxy's certificate is checked against the system's CAs. */
  caCertificate: string;
}

export type XksProxyDraftProblems = Record<keyof XksProxyDraft | 'name', string>;

/** An issue as the officer reads it: the schema's own words for a format, plain ones for a length. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return t('clusters.xksForm.tooSmall', { count: String(issue.minimum) });
  if (issue.code === 'too_big') return t('clusters.xksForm.tooBig', { count: String(issue.maximum) });
  return issue.message;
}

/** `label` is the catalogue key of the field's name as a sentence starts with it ("The URI path"). */
function problemOf(schema: z.ZodType, value: string, label: string): string {
  if (!value) return '';
  const result = schema.safeParse(value);
  if (result.success) return '';
  // The format's message says what a valid value looks like: it is the more useful one when both fail.
  const issues = result.error.issues;
  const issue = issues.find((candidate) => candidate.code === 'invalid_format') ?? issues[0];
  return t('clusters.xksForm.problem', { label: t(label), issue: issue ? issueText(issue) : t('clusters.xksForm.notValid') });
}

/** Per-field problems ('' when acceptable); an empty field is not a problem yet, only not ready. */
export function xksProxyDraftProblems(draft: XksProxyDraft & { name?: string }): XksProxyDraftProblems {
  return {
    name: problemOf(nameSchema, (draft.name ?? '').trim(), 'clusters.xksForm.name'),
    endpoint: problemOf(xksProxyUriEndpointSchema, draft.endpoint.trim(), 'clusters.xksForm.endpoint'),
    uriPath: problemOf(xksProxyUriPathSchema, draft.uriPath.trim(), 'clusters.xksForm.uriPath'),
    accessKeyId: problemOf(credentialShape.AccessKeyId, draft.accessKeyId.trim(), 'clusters.xksForm.accessKeyId'),
    secret: problemOf(credentialShape.RawSecretAccessKey, draft.secret, 'clusters.xksForm.secret'),
    caCertificate: problemOf(certificatePemSchema, draft.caCertificate.trim(), 'clusters.xksForm.caCertificate'),
  };
}

function noProblems(problems: XksProxyDraftProblems): boolean {
  return Object.values(problems).every((problem) => problem === '');
}

type CreateInput = OperationInput<'CreateKeyStore'>;

/** The CreateKeyStore input for an external key store, or null while anything is missing or refused. */
export function createExternalStoreInput(draft: XksProxyDraft & { name: string }): CreateInput | null {
  const required = [draft.name.trim(), draft.endpoint.trim(), draft.uriPath.trim(), draft.accessKeyId.trim(), draft.secret];
  if (required.some((value) => !value) || !noProblems(xksProxyDraftProblems(draft))) return null;
  const caCertificate = draft.caCertificate.trim();
  return {
    KeyStoreName: draft.name.trim(),
    KeyStoreType: 'EXTERNAL_KEY_STORE',
    XksProxyUriEndpoint: draft.endpoint.trim(),
    XksProxyUriPath: draft.uriPath.trim(),
    XksProxyAuthenticationCredential: { AccessKeyId: draft.accessKeyId.trim(), RawSecretAccessKey: draft.secret },
    XksProxyConnectivity: 'PUBLIC_ENDPOINT',
    ...(caCertificate ? { XksProxyCaCertificate: caCertificate } : {}),
  };
}

type XksProxyUpdate = Omit<OperationInput<'UpdateKeyStore'>, 'KeyStoreId' | 'NewKeyStoreName' | 'DefaultForHsmKeys'>;

export interface CurrentProxy {
  UriEndpoint: string;
  UriPath: string;
  AccessKeyId: string;
  CaCertificate: string | null;
}

/**
 * What "Edit proxy settings" sends: only the fields that changed. A credential needs its secret
 * (the host keeps only a sealed copy, and never shows it), so a new access key id without one is a
 * problem. `null` input: nothing to send, or something refused.
 */
export function xksProxyUpdate(current: CurrentProxy, draft: XksProxyDraft): { update: XksProxyUpdate | null; problem: string } {
  if (!noProblems(xksProxyDraftProblems(draft))) return { update: null, problem: '' };
  const endpoint = draft.endpoint.trim();
  const uriPath = draft.uriPath.trim();
  const accessKeyId = draft.accessKeyId.trim();
  const caCertificate = draft.caCertificate.trim();
  if (!endpoint || !uriPath || !accessKeyId) return { update: null, problem: '' };
  if (accessKeyId !== current.AccessKeyId && !draft.secret) {
    return { update: null, problem: t('clusters.xksForm.newAccessKeyNeedsSecret') };
  }
  const update: XksProxyUpdate = {
    ...(endpoint !== current.UriEndpoint ? { XksProxyUriEndpoint: endpoint } : {}),
    ...(uriPath !== current.UriPath ? { XksProxyUriPath: uriPath } : {}),
    ...(draft.secret ? { XksProxyAuthenticationCredential: { AccessKeyId: accessKeyId, RawSecretAccessKey: draft.secret } } : {}),
    // The contract has no way to remove a CA certificate: an emptied field keeps the current one.
    ...(caCertificate && caCertificate !== (current.CaCertificate ?? '').trim() ? { XksProxyCaCertificate: caCertificate } : {}),
  };
  return { update: Object.keys(update).length > 0 ? update : null, problem: '' };
}

/** A key in an external key store: an AES-256 key at the proxy, nothing else (CreateKey refuses other specs). */
export const EXTERNAL_STORE_KEY_SPECS: readonly KeySpec[] = ['Aliyun_AES_256'];

/** The XksKeyId of CreateKey: '' when acceptable (or not typed yet). */
export function xksKeyIdProblem(value: string): string {
  return problemOf(xksKeyIdSchema, value.trim(), 'clusters.xksForm.externalKeyId');
}

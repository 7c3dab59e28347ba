/**
 * The resource a failed call was about, for its audit record: the first identifier field of its
 * input. Only non-secret identifier fields are read, so a secret can never become a resource id.
 */
const IDENTIFIER_FIELDS = ['KeyId', 'KeyStoreId', 'ClusterId', 'ModuleId', 'AliasName', 'SecretName', 'Name', 'AapName', 'ClientKeyId', 'CeremonyId', 'ApprovalRequestId'];

export function resourceIdOf(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const record = input as Record<string, unknown>;
  for (const field of IDENTIFIER_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') return value;
  }
  return '';
}

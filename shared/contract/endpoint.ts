import { z } from 'zod';
import { defineOperation } from './define';

/**
 * The application endpoint: the network face for applications, off by default, started by an
 * officer, HTTPS with mutual TLS only. Applications call the data-plane operations below (Keyward
 * JSON `POST /v1/<Operation>`, or AWS JSON 1.1 with SigV4); management operations are never served.
 */
export const DATA_PLANE_OPERATIONS = [
  'Encrypt',
  'Decrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'AsymmetricSign',
  'AsymmetricVerify',
  'AsymmetricEncrypt',
  'AsymmetricDecrypt',
  'GenerateMac',
  'VerifyMac',
  'GetPublicKey',
  'DescribeKey',
  'GetSecretValue',
] as const;
export type DataPlaneOperation = (typeof DATA_PLANE_OPERATIONS)[number];

export const endpointStateSchema = z.enum(['RUNNING', 'STOPPED']);
export type EndpointState = z.infer<typeof endpointStateSchema>;

export const applicationCallSchema = z.object({
  Time: z.string(),
  AapName: z.string(),
  ClientKeyId: z.string(),
  SourceAddress: z.string(),
  Operation: z.string(),
  Resource: z.string(),
  Outcome: z.enum(['SUCCESS', 'FAILURE']),
  ErrorCode: z.string(),
});
export type ApplicationCall = z.infer<typeof applicationCallSchema>;

export const endpointDescriptionSchema = z.object({
  State: endpointStateSchema,
  Address: z.string(),
  Port: z.number(),
  /** SHA-256 of the server certificate (DER) issued by the instance CA at this start, lowercase hex. */
  TlsCertificateSha256: z.string(),
  StartedAt: z.string(),
  /** The latest application calls, newest first (also in the audit log). */
  RecentCalls: z.array(applicationCallSchema),
});

export const endpointOperations = {
  StartApplicationEndpoint: defineOperation({
    summary: 'Start the application endpoint (HTTPS, mutual TLS) on an address and port; a new server certificate is issued by the instance CA.',
    input: z.strictObject({
      Address: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
      /** 0 picks a free port. */
      Port: z.number().int().min(0).max(65_535),
    }),
    result: endpointDescriptionSchema,
    errors: ['Forbidden.EndpointState', 'Forbidden.KeyStoreState', 'EndpointAddressUnavailable'],
    mutates: true,
  }),
  StopApplicationEndpoint: defineOperation({
    summary: 'Stop the application endpoint; open connections are closed.',
    input: z.strictObject({}),
    result: endpointDescriptionSchema,
    errors: ['Forbidden.EndpointState'],
    mutates: true,
  }),
  DescribeApplicationEndpoint: defineOperation({
    summary: 'The application endpoint’s state, address, certificate fingerprint and latest calls.',
    input: z.strictObject({}),
    result: endpointDescriptionSchema,
    errors: [],
    mutates: false,
  }),
} as const;

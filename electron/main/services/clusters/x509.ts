/**
 * @peculiar/x509, loaded on first use: its tsyringe dependency throws at load time unless the
 * Reflect metadata API exists, and a bundled static import would be evaluated before any shim in
 * the bundle body. A dynamic import runs after reflect-metadata (below) has installed it.
 */
import 'reflect-metadata';
import type * as X509 from '@peculiar/x509';

export type X509Module = typeof X509;

let loading: Promise<X509Module> | null = null;

export function loadX509(): Promise<X509Module> {
  loading ??= import('@peculiar/x509');
  return loading;
}

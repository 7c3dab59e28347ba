import type { OperationHandlers } from '../handlers-type';
import type { XksProxyService } from './xks-proxy-service';

type XksOperation = 'CreateXksProxy' | 'RotateXksProxyCredential' | 'RetireXksProxyCredential' | 'DescribeXksProxies' | 'DeleteXksProxy';

/** The XKS proxy management operations' handlers. */
export function bindXksHandlers(proxies: XksProxyService): Pick<OperationHandlers, XksOperation> {
  return {
    CreateXksProxy: (input, request) => proxies.create(input, request),
    RotateXksProxyCredential: (input, request) => proxies.rotate(input, request),
    RetireXksProxyCredential: async (input, request) => proxies.retire(input, request),
    DescribeXksProxies: async (input) => proxies.describe(input),
    DeleteXksProxy: async (input, request) => proxies.delete(input, request),
  };
}

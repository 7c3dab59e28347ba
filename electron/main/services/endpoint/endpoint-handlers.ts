import type { OperationHandlers } from '../handlers-type';
import type { EndpointService } from './endpoint-service';

/** StartApplicationEndpoint, StopApplicationEndpoint, DescribeApplicationEndpoint. */
export function bindEndpointHandlers(
  endpoint: EndpointService,
): Pick<OperationHandlers, 'StartApplicationEndpoint' | 'StopApplicationEndpoint' | 'DescribeApplicationEndpoint'> {
  return {
    StartApplicationEndpoint: (input, request) => endpoint.start(input, request),
    StopApplicationEndpoint: (_input, request) => endpoint.stop(request),
    DescribeApplicationEndpoint: () => Promise.resolve(endpoint.describe()),
  };
}

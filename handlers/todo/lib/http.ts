import type { ApiEvent, ApiResponse } from './event.js';
import { errorResponse } from './response.js';

/**
 * Runs a route for API Gateway's REST proxy integration: whatever the route
 * throws becomes a JSON error (errors.ts, response.ts), so bad input never
 * turns into a 500 or a stack trace in the response.
 */
export async function respond(event: ApiEvent, route: (event: ApiEvent) => Promise<ApiResponse>): Promise<ApiResponse> {
  try {
    if (typeof event !== 'object' || event === null) throw new Error('The event is not an API Gateway proxy event');
    return await route(event);
  } catch (err) {
    return errorResponse(event, err);
  }
}

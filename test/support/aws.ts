import { AwsSession } from '../../src/aws/session.js';

/**
 * A session for tests on mocked clients (aws-sdk-client-mock): no real
 * waiting (every sleep is recorded instead), no jitter, and fake credentials
 * so nothing looks for ~/.aws.
 */
export function testSession(region = 'eu-west-1', profile?: string): AwsSession & { sleeps: number[] } {
  const sleeps: number[] = [];
  const session = new AwsSession({
    region,
    ...(profile ? { profile } : {}),
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    },
  }) as AwsSession & { sleeps: number[] };
  session.sleeps = sleeps;
  return session;
}

/** An SDK-shaped service error, as the SDK throws them. */
export function awsError(name: string, message: string, status = 400): Error {
  const err = new Error(message) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  err.name = name;
  err.$metadata = { httpStatusCode: status };
  err.$fault = status >= 500 ? 'server' : 'client';
  return err;
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocument,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type GetCommandInput,
  type GetCommandOutput,
  type PutCommandInput,
  type PutCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { withDeadline } from './deadline.js';

/** The table calls the handlers make; DynamoDBDocument and DaxDocument both have them. */
export interface TableClient {
  get(input: GetCommandInput): Promise<GetCommandOutput>;
  put(input: PutCommandInput): Promise<PutCommandOutput>;
  update(input: UpdateCommandInput): Promise<UpdateCommandOutput>;
  delete(input: DeleteCommandInput): Promise<DeleteCommandOutput>;
  query(input: QueryCommandInput): Promise<QueryCommandOutput>;
}

const DEFAULT_DAX_TIMEOUT_MS = 2000;

export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}

function daxTimeoutMs(): number {
  const ms = Number(process.env.DAX_TIMEOUT_MS);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : DEFAULT_DAX_TIMEOUT_MS;
}

// With DAX every call goes through the cluster, writes included: DAX is a
// write-through cache, so its item cache stays consistent with the table only
// when writes pass through it too.
async function openDaxTable(endpoint: string): Promise<TableClient> {
  const { openDax } = await import('./dax.js');
  const dax = openDax(endpoint, process.env.AWS_REGION);
  const ms = daxTimeoutMs();
  // After a timeout the connection is dropped, and the next call (the next
  // invocation, usually) opens a fresh one.
  const onTimeout = (): void => {
    console.error(JSON.stringify({ level: 'error', message: `DAX call timed out after ${ms} ms` }));
    dax.close();
    pending = undefined;
  };
  const { client } = dax;
  return {
    get: (input) => withDeadline(client.get(input), ms, onTimeout),
    put: (input) => withDeadline(client.put(input), ms, onTimeout),
    update: (input) => withDeadline(client.update(input), ms, onTimeout),
    delete: (input) => withDeadline(client.delete(input), ms, onTimeout),
    query: (input) => withDeadline(client.query(input), ms, onTimeout),
  };
}

// The region comes from AWS_REGION, the endpoint from the SDK's own settings
// (AWS_ENDPOINT_URL_DYNAMODB for a local DynamoDB), so local runs need no code.
function openDynamoDbTable(): TableClient {
  return DynamoDBDocument.from(new DynamoDBClient({ region: process.env.AWS_REGION }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

// One client per container, opened on first use and reused by every
// invocation after it.
let pending: Promise<TableClient> | undefined;

export function table(): Promise<TableClient> {
  if (!pending) {
    const endpoint = process.env.DAX_ENDPOINT;
    const opening = endpoint ? openDaxTable(endpoint) : Promise.resolve(openDynamoDbTable());
    pending = opening;
    // A failed open (the DAX module missing from the bundle) is retried next time.
    opening.catch(() => {
      if (pending === opening) pending = undefined;
    });
  }
  return pending;
}

// The code each Lambda "container" runs: a worker thread that imports the
// bundled handler once (the init phase) and then answers one invocation at a
// time, as the Lambda runtime does. Kept as a string (run with `eval: true`) so
// it survives bundling of src/ unchanged and needs no separate file on disk.
//
// The result crosses the thread boundary as JSON text, as Lambda serialises
// it: values JSON cannot carry (functions, BigInt, cycles) become an error.
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');

let handlerPromise;
function loadHandler() {
  handlerPromise ??= import(workerData.moduleUrl).then((mod) => {
    const fn = mod[workerData.exportName] ?? (mod.default && mod.default[workerData.exportName]);
    if (typeof fn !== 'function') {
      const err = new Error(workerData.handler + ' is undefined or not exported');
      err.name = 'Runtime.HandlerNotFound';
      throw err;
    }
    return fn;
  });
  return handlerPromise;
}

function describe(err) {
  if (err instanceof Error) return { errorType: err.name || 'Error', errorMessage: err.message, stack: err.stack };
  return { errorType: 'Error', errorMessage: String(err) };
}

parentPort.on('message', async (msg) => {
  const started = Date.now();
  const context = {
    functionName: workerData.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: workerData.functionArn,
    memoryLimitInMB: String(workerData.memorySize),
    awsRequestId: msg.requestId,
    logGroupName: '/aws/lambda/' + workerData.functionName,
    logStreamName: 'local/' + randomUUID(),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, workerData.timeoutMs - (Date.now() - started)),
  };
  try {
    const fn = await loadHandler();
    const value = await fn(JSON.parse(msg.event), context);
    let text;
    try {
      text = value === undefined ? 'null' : JSON.stringify(value);
    } catch (err) {
      const e = describe(err);
      parentPort.postMessage({ id: msg.id, ok: false, error: { errorType: 'Runtime.MalformedResult', errorMessage: 'the result is not JSON-serialisable: ' + e.errorMessage } });
      return;
    }
    parentPort.postMessage({ id: msg.id, ok: true, result: text });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: describe(err) });
  }
});
`;

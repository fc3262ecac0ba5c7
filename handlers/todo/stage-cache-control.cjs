'use strict';
// CloudFormation custom resource (Custom::StageCacheControl): applies API
// Gateway stage settings that CloudFormation has no property for, as UpdateStage
// patch operations (requireAuthorizationForCacheControl and
// unauthorizedCacheControlHeaderStrategy of the stage cache). Inlined into the
// template (Code.ZipFile) at build time, so it may use only what the Lambda
// Node.js runtime ships: node: built-ins and the AWS SDK v3.
const http = require('node:http');
const https = require('node:https');
const { APIGatewayClient, UpdateStageCommand } = require('@aws-sdk/client-api-gateway');

const client = new APIGatewayClient({});
const RETRY_BASE_MS = Number(process.env.RETRY_BASE_MS || 1000);
const ATTEMPTS = 8;

// Answers CloudFormation with a PUT to the presigned ResponseURL; never throws.
function respond(event, status, physicalId, reason) {
  const body = JSON.stringify({
    Status: status,
    Reason: String(reason).slice(0, 1000),
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  const transport = String(event.ResponseURL).startsWith('http:') ? http : https;
  return new Promise((resolve) => {
    const req = transport.request(
      event.ResponseURL,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.setTimeout(10000, () => req.destroy(new Error('timed out answering CloudFormation')));
    req.on('error', (err) => {
      console.error('cannot answer CloudFormation', err);
      resolve();
    });
    req.end(body);
  });
}

async function updateStage(props) {
  const patchOperations = props.PatchOperations.map((o) => ({ op: o.op, path: o.path, value: String(o.value) }));
  // The stage may still be busy (its cache cluster is being created): retry conflicts.
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.send(new UpdateStageCommand({ restApiId: props.RestApiId, stageName: props.StageName, patchOperations }));
    } catch (err) {
      if (err.name !== 'ConflictException' || attempt === ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.min(30000, RETRY_BASE_MS * 2 ** attempt)));
    }
  }
}

exports.handler = async (event, context) => {
  const props = event.ResourceProperties || {};
  const physicalId = event.PhysicalResourceId || `${props.RestApiId}/${props.StageName}/cache-control`;
  let status = 'SUCCESS';
  let reason = `see log stream ${context.logStreamName}`;
  try {
    // Delete changes nothing: the settings go with the stage.
    if (event.RequestType === 'Create' || event.RequestType === 'Update') await updateStage(props);
  } catch (err) {
    console.error(err);
    status = 'FAILED';
    reason = `${err && err.name}: ${err && err.message} (${reason})`;
  }
  await respond(event, status, physicalId, reason);
};

export { LambdaRunner, type InvokeResult, type LambdaFunctionConfig, type LambdaRunnerOptions } from './runner.js';
export { functionConfigFromTemplate, type FunctionConfigOptions } from './config.js';

import { describe, expect, it } from 'vitest';
import { kebabName, logGroupOf, matchFunction, shortName, type StackFunction } from '../../src/core/function-names.js';
import { failure } from '../support/errors.js';

const todo: StackFunction[] = [
  { logicalId: 'ListTodosFunction', physicalId: 'todo-dev-ListTodosFunction-AbC123' },
  { logicalId: 'GetTodoFunction', physicalId: 'todo-dev-GetTodoFunction-DeF456' },
  { logicalId: 'CreateTodoFunction', physicalId: 'todo-dev-CreateTodoFunction-GhI789' },
  { logicalId: 'StageCacheControlFunction', physicalId: 'todo-dev-StageCacheControlFunction-JkL012' },
];


describe('matchFunction', () => {
  it.each(['ListTodos', 'ListTodosFunction', 'list-todos', 'LISTTODOS', 'listtodosfunction', 'list_todos', 'todo-dev-ListTodosFunction-AbC123'])(
    '%j is ListTodosFunction',
    (arg) => {
      expect(matchFunction(arg, todo, 'todo-dev').logicalId).toBe('ListTodosFunction');
    },
  );

  it('reaches names of several words in kebab case', () => {
    expect(matchFunction('stage-cache-control', todo, 'todo-dev').logicalId).toBe('StageCacheControlFunction');
  });

  it('an unknown name is a usage error listing the functions there are', () => {
    const err = failure(() => matchFunction('list-todo', todo, 'todo-dev'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('no function "list-todo" in todo-dev');
    expect(err.fix).toBe('name one of ListTodos, GetTodo, CreateTodo, StageCacheControl (the kebab-case form, such as list-todos, works too)');
  });

  it('an exact logical id wins over a loose match; a loose one that fits two is ambiguous', () => {
    const both: StackFunction[] = [{ logicalId: 'Worker' }, { logicalId: 'WorkerFunction' }];
    expect(matchFunction('Worker', both, 's').logicalId).toBe('Worker');
    expect(matchFunction('WorkerFunction', both, 's').logicalId).toBe('WorkerFunction');
    const err = failure(() => matchFunction('worker', both, 's'));
    expect(err.message).toBe('"worker" matches several functions of s: Worker, WorkerFunction');
    expect(err.fix).toBe('name one by its exact logical id: Worker or WorkerFunction');
  });

  it('an empty name and a stack without functions are refused', () => {
    expect(failure(() => matchFunction('  ', todo, 'todo-dev')).fix).toMatch(/^name one of ListTodos/);
    const none = failure(() => matchFunction('ListTodos', [], 'todo-dev'));
    expect(none.message).toBe('todo-dev has no Lambda functions');
    expect(none.exitCode).toBe(1);
  });
});

describe('names', () => {
  it('shortName drops the Function suffix; kebabName splits words', () => {
    expect(shortName('ListTodosFunction')).toBe('ListTodos');
    expect(shortName('Function')).toBe('Function');
    expect(kebabName('ListTodosFunction')).toBe('list-todos');
    expect(kebabName('S3EventHandlerFunction')).toBe('s3-event-handler');
    expect(kebabName('APIProxy')).toBe('api-proxy');
  });
});

describe('logGroupOf', () => {
  const fn = { logicalId: 'ListTodosFunction', physicalId: 'todo-dev-ListTodosFunction-AbC123' };

  it("is the stack's <Name>LogGroup, whose name CloudFormation generated", () => {
    const resources = [
      { logicalId: 'GetTodoLogGroup', physicalId: 'todo-dev-GetTodoLogGroup-1', type: 'AWS::Logs::LogGroup' },
      { logicalId: 'ListTodosLogGroup', physicalId: 'todo-dev-ListTodosLogGroup-2', type: 'AWS::Logs::LogGroup' },
      { logicalId: 'ListTodosFunction', physicalId: fn.physicalId, type: 'AWS::Lambda::Function' },
    ];
    expect(logGroupOf(fn, resources)).toBe('todo-dev-ListTodosLogGroup-2');
  });

  it("falls back to Lambda's default group when the stack has none for the function", () => {
    const resources = [
      { logicalId: 'GetTodoLogGroup', physicalId: 'todo-dev-GetTodoLogGroup-1', type: 'AWS::Logs::LogGroup' },
      // A resource of another type with the name is not a log group.
      { logicalId: 'ListTodosLogGroup', physicalId: 'x', type: 'AWS::SSM::Parameter' },
    ];
    expect(logGroupOf(fn, resources)).toBe('/aws/lambda/todo-dev-ListTodosFunction-AbC123');
  });
});

import type { ApiEvent, ApiResponse } from '../../handlers/todo/lib/event.js';

export type Handler = (event: ApiEvent) => Promise<ApiResponse>;

/**
 * The five todo handlers, imported only now: they read their environment
 * (table, endpoint, secret) when loaded, so call this after startDynalite().
 */
export async function loadTodoHandlers(): Promise<{ list: Handler; get: Handler; create: Handler; update: Handler; remove: Handler }> {
  const [list, get, create, update, remove] = await Promise.all([
    import('../../handlers/todo/list-todos.js'),
    import('../../handlers/todo/get-todo.js'),
    import('../../handlers/todo/create-todo.js'),
    import('../../handlers/todo/update-todo.js'),
    import('../../handlers/todo/delete-todo.js'),
  ]);
  return { list: list.handler, get: get.handler, create: create.handler, update: update.handler, remove: remove.handler };
}

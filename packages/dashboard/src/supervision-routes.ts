import { PacelineError } from '@paceline/core';
import type { SupervisionBoard } from '@paceline/engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Who is asking, as the dashboard's auth hook resolved it (`registerDashboardAuth`). */
type PrincipalOf = (request: FastifyRequest) => { readonly role: string } | undefined;

function problem(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: message });
}

/**
 * Listen, whisper and barge from the dashboard (docs/supervision.md). With a
 * {@link SupervisionBoard} configured:
 *
 * - `GET /api/supervision/calls` → `{ calls, canSupervise }`: live calls with their agent and
 *   supervisors; `canSupervise` is true for the manager role only, so the page shows the
 *   buttons to those who may press them.
 * - `POST /api/supervision/calls/:callId/join` `{ supervisorId, mode }`,
 *   `POST /api/supervision/mode` `{ supervisorId, mode }`, `POST /api/supervision/leave`
 *   `{ supervisorId }`: writes, so the plugin's auth hook refuses viewers (403) and needs the
 *   write header, and its audit hook records each one, allowed or refused. The media plane adds
 *   its own audit event per join, mode change and leave (`supervisionAudit`).
 *
 * `supervisorId` names the supervisor's media session, which the supervisor's browser opened
 * with the media plane's signalling first. Without a board the routes answer 501.
 */
export function registerSupervisionRoutes(
  app: FastifyInstance,
  options: { readonly board: SupervisionBoard | undefined; readonly principalOf: PrincipalOf },
): void {
  const { board } = options;
  const run = async (reply: FastifyReply, work: (b: SupervisionBoard) => Promise<void>) => {
    if (!board) return problem(reply, 501, 'supervision is not configured on this dashboard (pass `supervision`)');
    try {
      await work(board);
      return reply.send({ ok: true, calls: board.calls() });
    } catch (error) {
      if (!(error instanceof PacelineError)) throw error;
      const status = error.code === 'E_INVALID_INPUT' ? 400 : error.code === 'E_NOT_FOUND' ? 404 : 409;
      return problem(reply, status, error.message);
    }
  };
  const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
  const supervisorId = (request: FastifyRequest) => {
    const id = body(request).supervisorId;
    return typeof id === 'string' ? id : '';
  };

  app.get('/api/supervision/calls', async (request, reply) => {
    if (!board) return problem(reply, 501, 'supervision is not configured on this dashboard (pass `supervision`)');
    return { calls: board.calls(), canSupervise: options.principalOf(request)?.role === 'manager' };
  });
  app.post('/api/supervision/calls/:callId/join', async (request, reply) =>
    run(reply, (b) => b.join((request.params as { callId: string }).callId, supervisorId(request), body(request).mode)),
  );
  app.post('/api/supervision/mode', async (request, reply) => run(reply, (b) => b.setMode(supervisorId(request), body(request).mode)));
  app.post('/api/supervision/leave', async (request, reply) => run(reply, (b) => b.leave(supervisorId(request))));
}

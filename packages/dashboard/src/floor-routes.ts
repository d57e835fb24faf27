import { PacelineError } from '@paceline/core';
import type { PlannedBreak } from '@paceline/engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CampaignMonitor } from './campaign-monitor';
import type { DashboardPrincipal } from './dashboard-sessions';

/** What {@link registerFloorRoutes} needs from the plugin. */
export interface FloorRouteDeps {
  readonly monitor: CampaignMonitor;
  /** The campaign id of a `:id` route when the dashboard shows it; else answers 404 and returns undefined. */
  readonly known: (request: FastifyRequest, reply: FastifyReply) => string | undefined;
  readonly principalOf: (request: FastifyRequest) => DashboardPrincipal | undefined;
  /** Something the page shows changed: push a fresh snapshot. */
  readonly onChange: () => void;
}

function problem(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: message });
}

/** A JSON object body, or a clear 400 naming what came instead. */
function objectBody(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PacelineError('E_INVALID_INPUT', `${what}: expected a JSON object body`);
  }
  return body as Record<string, unknown>;
}

function statusOf(error: PacelineError): number {
  return error.code === 'E_NOT_FOUND' ? 404 : error.code === 'E_CONFLICT' ? 409 : 400;
}

/** Epoch ms from a number or an ISO 8601 string; undefined when neither. */
function instant(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) {
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : at;
  }
  return undefined;
}

/** Planned breaks from a request body `{ breaks: [{ start, end, label? }] }`; throws `E_INVALID_INPUT` naming the bad field. */
export function parseBreaks(body: unknown): PlannedBreak[] {
  const list = (body as { breaks?: unknown } | null)?.breaks;
  if (!Array.isArray(list) || list.length > 50) {
    throw new PacelineError('E_INVALID_INPUT', 'breaks: expected a list of at most 50 { start, end, label? } (ISO times or epoch ms)');
  }
  return list.map((item, i) => {
    const b = (item ?? {}) as Record<string, unknown>;
    const start = instant(b.start);
    const end = instant(b.end);
    if (start === undefined)
      throw new PacelineError('E_INVALID_INPUT', `breaks[${i}].start: expected an ISO time or epoch ms, got ${JSON.stringify(b.start)}`);
    if (end === undefined || end <= start) {
      throw new PacelineError('E_INVALID_INPUT', `breaks[${i}].end: expected a time after start, got ${JSON.stringify(b.end)}`);
    }
    if (b.label !== undefined && (typeof b.label !== 'string' || b.label.length > 80)) {
      throw new PacelineError('E_INVALID_INPUT', `breaks[${i}].label: expected text of at most 80 characters`);
    }
    return { start, end, ...(typeof b.label === 'string' ? { label: b.label } : {}) };
  });
}

/**
 * The floor's routes (under the dashboard's prefix, behind its auth hook: GETs for every role,
 * writes for managers only, each write audited):
 * - `GET /api/agents` every agent's live row; `GET /api/agents/:agentId` the agent's day
 *   (timeline, calls, planned breaks) and quality scorecard;
 * - `POST /api/agents/:agentId/breaks` `{ breaks: [{ start, end, label? }] }` plans the breaks adherence is measured against;
 * - `POST /api/campaigns/:id/plan` `{ outboundPerHour?, inboundPerHour?, agents? }` the forecast and staffing plan;
 * - `GET|POST /api/campaigns/:id/scoring-form` `{ criteria: [{ id, label, weight }] }`;
 * - `POST /api/calls/:callId/score` `{ campaignId, agentId, scores: { [criterion]: 0–100 }, notes?, recording? }`;
 * - `GET /api/alerts` the alerts active now.
 */
export function registerFloorRoutes(app: FastifyInstance, deps: FloorRouteDeps): void {
  const { monitor } = deps;
  const floor = monitor.floor;
  const guarded = async (reply: FastifyReply, work: () => Promise<unknown>) => {
    try {
      const body = await work();
      deps.onChange();
      return reply.send(body);
    } catch (error) {
      if (error instanceof PacelineError) return problem(reply, statusOf(error), error.message);
      throw error;
    }
  };

  app.get('/api/agents', async () => ({ agents: floor.agents.rows() }));
  app.get('/api/agents/:agentId', async (request, reply) => {
    const { agentId } = request.params as { agentId: string };
    const day = floor.agents.day(agentId);
    if (!day) return problem(reply, 404, `no agent "${agentId}" on the floor today`);
    return { day, scorecard: await floor.quality.scorecard(agentId) };
  });
  app.post('/api/agents/:agentId/breaks', async (request, reply) => {
    const { agentId } = request.params as { agentId: string };
    return guarded(reply, async () => {
      const breaks = parseBreaks(request.body);
      floor.agents.planBreaks(agentId, breaks);
      return { ok: true, breaks };
    });
  });
  app.post('/api/campaigns/:id/plan', async (request, reply) => {
    const id = deps.known(request, reply);
    if (id === undefined) return reply;
    return guarded(reply, async () => ({ ok: true, plan: floor.setPlan(id, request.body ?? {}) }));
  });
  app.get('/api/campaigns/:id/scoring-form', async (request, reply) => {
    const id = deps.known(request, reply);
    if (id === undefined) return reply;
    return { form: (await floor.quality.form(id)) ?? null };
  });
  app.post('/api/campaigns/:id/scoring-form', async (request, reply) => {
    const id = deps.known(request, reply);
    if (id === undefined) return reply;
    return guarded(reply, async () => ({
      ok: true,
      form: await floor.quality.setForm({ ...objectBody(request.body, 'form'), campaignId: id }),
    }));
  });
  app.post('/api/calls/:callId/score', async (request, reply) => {
    const { callId } = request.params as { callId: string };
    const coach = deps.principalOf(request)?.id ?? 'unknown';
    return guarded(reply, async () => ({
      ok: true,
      score: await floor.quality.score({ ...objectBody(request.body, 'score'), callId }, coach),
    }));
  });
  app.get('/api/alerts', async () => ({ alerts: floor.alerts.active() }));
}

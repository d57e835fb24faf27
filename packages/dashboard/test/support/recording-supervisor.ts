import type { CallSupervisor, SupervisionMode } from '@paceline/engine';

/**
 * The media plane's port as a test double: it records what it was asked (`asked`, one line per
 * call: `supervise <call> <supervisor> <mode>`, `mode <supervisor> <mode>`, `leave <supervisor>`)
 * and keeps who is on which call, as a real media plane's `sessions()` would.
 */
export function recordingSupervisor(): CallSupervisor & { asked: string[] } {
  const on = new Map<string, { callId: string; mode: SupervisionMode }>();
  const asked: string[] = [];
  return {
    asked,
    supervise: async (callId, supervisorId, mode) => {
      asked.push(`supervise ${callId} ${supervisorId} ${mode}`);
      on.set(supervisorId, { callId, mode });
    },
    setMode: async (supervisorId, mode) => {
      asked.push(`mode ${supervisorId} ${mode}`);
      const current = on.get(supervisorId);
      if (current) on.set(supervisorId, { ...current, mode });
    },
    leave: async (supervisorId) => {
      asked.push(`leave ${supervisorId}`);
      on.delete(supervisorId);
    },
    sessions: () => [...on].map(([supervisorId, s]) => ({ supervisorId, ...s })),
  };
}

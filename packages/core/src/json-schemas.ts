import type { TSchema } from 'typebox';
import { AgentSchema } from './schema/agent';
import { AttemptSchema } from './schema/attempt';
import { CallOutcomeSchema } from './schema/call-outcome';
import { CampaignSchema } from './schema/campaign';
import { ContactSchema } from './schema/contact';
import { DispositionSchema } from './schema/disposition';
import { OrderSchema } from './schema/order';

/** The domain's JSON Schemas by type name, for hosts, forms and docs. */
export const jsonSchemas: Readonly<Record<string, TSchema>> = {
  Campaign: CampaignSchema,
  Contact: ContactSchema,
  Attempt: AttemptSchema,
  CallOutcome: CallOutcomeSchema,
  Disposition: DispositionSchema,
  Agent: AgentSchema,
  Order: OrderSchema,
};

/** One schema as a plain JSON document (what `JSON.stringify` would write to a file). */
export function toJsonSchemaDocument(name: keyof typeof jsonSchemas): Record<string, unknown> {
  const schema = jsonSchemas[name];
  if (!schema) throw new Error(`unknown schema ${String(name)}`);
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: name, ...JSON.parse(JSON.stringify(schema)) };
}

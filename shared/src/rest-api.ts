/**
 * The REST API over cards and workspace records (`server/src/rest/`): request bodies validated at
 * the server's edge and the shapes it answers with. The OpenAPI document (`GET /api/openapi.json`)
 * is generated from these schemas, so what is documented is what is checked.
 */
import { z } from 'zod';
import { LIMITS } from './board/schema.js';
import { Agreement, InternalProposalFields, MobilityFlow, MobilityTarget, Partner, ProposalFields } from './domain/records.js';
import { Department, ProposalStage } from './domain/vocabulary.js';

/**
 * The schema of a partial update of `object`: every field optional and without its default, so that
 * a field left out is left as it is (a default would overwrite it).
 */
export function patchOf<Shape extends z.ZodRawShape>(object: { shape: Shape }) {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(object.shape)) {
    let inner = field as z.ZodType;
    // A default or a fallback belongs to the whole record, not to a change of it.
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodCatch) inner = inner.unwrap() as z.ZodType;
    fields[key] = inner.optional();
  }
  return z.object(fields).strict() as unknown as z.ZodObject<{ [K in keyof Shape]: z.ZodOptional<z.ZodType<z.output<Shape[K]>, z.input<Shape[K]>>> }>;
}

/** A card's kind: a plain note, or a proposal that goes through the workflow. */
export const RestCardKind = z.enum(['note', 'proposal']);

/** The proposal fields a card's update may change (its stage has its own field: the gates check it). */
const ProposalFieldsPatch = patchOf(ProposalFields).omit({ stage: true });

/** `POST /api/boards/{boardId}/cards`: a card at the end of a column, or at `index`. */
export const CreateCardRequest = z
  .object({
    columnId: z.string().min(1).max(64),
    title: z.string().trim().min(1).max(LIMITS.cardTitle),
    description: z.string().max(LIMITS.cardDescription).optional(),
    kind: RestCardKind.default('note'),
    index: z.number().int().min(0).optional(),
    /** A proposal's fields (its stage must be reachable without sign-offs: a new proposal has none). */
    fields: patchOf(ProposalFields).optional(),
    /** A proposal's internal fields (members only; stored in the board's internal document). */
    internal: patchOf(InternalProposalFields).optional(),
  })
  .strict();
export type CreateCardRequest = z.infer<typeof CreateCardRequest>;

/** `PATCH /api/boards/{boardId}/cards/{cardId}`: only the fields given change. */
export const UpdateCardRequest = z
  .object({
    title: z.string().trim().min(1).max(LIMITS.cardTitle).optional(),
    description: z.string().max(LIMITS.cardDescription).optional(),
    /** A note becomes a proposal (never the other way: a proposal's record stays). */
    kind: z.literal('proposal').optional(),
    fields: ProposalFieldsPatch.optional(),
    /** Moves a proposal through the workflow; refused (409) when a gate on the way lacks sign-offs. */
    stage: ProposalStage.optional(),
    internal: patchOf(InternalProposalFields).optional(),
  })
  .strict();
export type UpdateCardRequest = z.infer<typeof UpdateCardRequest>;

/** `POST /api/boards/{boardId}/cards/{cardId}/move`: to `index` in `columnId` (its own column or another). */
export const MoveCardRequest = z.object({ columnId: z.string().min(1).max(64), index: z.number().int().min(0) }).strict();
export type MoveCardRequest = z.infer<typeof MoveCardRequest>;

/** A sign-off as a card carries it. */
const RestSignOff = z.object({ gate: ProposalStage, department: Department, userId: z.string(), userName: z.string(), at: z.string() });

/** A card as the REST API answers it. `internal` is there only for those who may see it (members). */
export const RestCard = z.object({
  id: z.string(),
  kind: RestCardKind,
  columnId: z.string(),
  /** Orders the cards of a column (compare as strings). */
  position: z.string(),
  title: z.string(),
  description: z.string(),
  createdBy: z.string(),
  /** Milliseconds since 1970. */
  createdAt: z.number(),
  proposal: z
    .object({ fields: ProposalFields, signOffs: z.array(RestSignOff), sections: z.record(z.string(), z.string()) })
    .optional(),
  internal: z.object({ fields: InternalProposalFields, notes: z.string() }).optional(),
});
export type RestCard = z.infer<typeof RestCard>;

export const RestColumn = z.object({ id: z.string(), title: z.string(), position: z.string() });
export type RestColumn = z.infer<typeof RestColumn>;

export const CardListResponse = z.object({ cards: z.array(RestCard) });
export const ColumnListResponse = z.object({ columns: z.array(RestColumn) });

/** A workflow change the rules refused, with the gates that lack sign-offs. */
export const WorkflowRefusalBody = z.object({
  error: z.object({
    code: z.literal('workflow_refused'),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/**
 * The workspace's record collections the REST API serves, by their path segment: each is a
 * collection of the workspace document, with its record schema.
 */
export const REST_RECORD_COLLECTIONS = {
  partners: Partner,
  agreements: Agreement,
  'mobility-flows': MobilityFlow,
  'mobility-targets': MobilityTarget,
} as const;
export type RestRecordCollection = keyof typeof REST_RECORD_COLLECTIONS;

/** The body of every error response, for the document. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    /** In the caller's language (their saved choice, else Accept-Language). */
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

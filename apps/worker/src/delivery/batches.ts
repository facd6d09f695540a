import {
  claimMessages,
  type Db,
  type DeliverableMessage,
  findDeliverableMessages,
  GroupCommitter,
  type MessageClaim,
  markMessagesSent,
  type SentMessage,
} from '@touchline/db';

/**
 * The statements every delivery makes — the read of the message, the claim before the hand-off
 * and the mark after it — grouped across the deliveries running at once: one statement (one
 * commit) per group instead of one per message, which is what deliveries cost the database.
 */
export interface DeliveryBatches {
  find(workspaceId: string, messageId: string): Promise<DeliverableMessage | undefined>;
  claim(claim: MessageClaim): Promise<number | undefined>;
  markSent(sent: SentMessage): Promise<boolean>;
}

const batchesByDb = new WeakMap<Db, DeliveryBatches>();

export function deliveryBatches(db: Db): DeliveryBatches {
  let batches = batchesByDb.get(db);
  if (!batches) {
    const claims = new GroupCommitter<MessageClaim, number | undefined>({
      write: (items) => claimMessages(db, items),
      sizeOf: () => 1,
      maxGroupSize: 500,
      maxInFlight: 2,
    });
    const marks = new GroupCommitter<SentMessage, boolean>({
      write: (items) => markMessagesSent(db, items),
      sizeOf: () => 1,
      maxGroupSize: 500,
      maxInFlight: 2,
    });
    const finds = new GroupCommitter<
      { workspaceId: string; messageId: string },
      DeliverableMessage | undefined
    >({
      write: (items) => findDeliverableMessages(db, items),
      sizeOf: () => 1,
      maxGroupSize: 500,
      maxInFlight: 2,
    });
    batches = {
      find: (workspaceId, messageId) => finds.submit({ workspaceId, messageId }),
      claim: (claim) => claims.submit(claim),
      markSent: (sent) => marks.submit(sent),
    };
    batchesByDb.set(db, batches);
  }
  return batches;
}

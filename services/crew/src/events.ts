import { createEnvelope } from '@fleetwatch/messaging';
import type { OutboxMessage } from '@fleetwatch/outbox';
import { Type, type Static } from '@sinclair/typebox';

/** The schema whose outbox table carries this service's events. */
export const OUTBOX_SCHEMA = 'crew';

/** Certificate expiry notices, keyed by seafarer so one seafarer's notices stay in order. */
export const CERTIFICATE_EXPIRY_TOPIC = 'crew.certificate-expiry.v1';
export const CERTIFICATE_EXPIRING_EVENT = 'crew.certificate-expiring';
export const CERTIFICATE_EXPIRED_EVENT = 'crew.certificate-expired';
export const CERTIFICATE_EXPIRY_EVENT_VERSION = 1;

// Patterns, not formats: consumers check envelopes with TypeBox's Value, which knows no formats.
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * The `data` of an expiry event. Sent once per certificate, kind and expiry date: 'expiring' when the
 * expiry date comes within the warning period, 'expired' the day after it. Renewing (a new certificate
 * of the type, or a later expiry date) starts over.
 */
export const CertificateExpiryData = Type.Object({
  certificateId: Type.String({ pattern: UUID }),
  tenantId: Type.String({ pattern: UUID }),
  seafarerId: Type.String({ pattern: UUID }),
  seafarerName: Type.String(),
  certificateType: Type.String(),
  certificateNumber: Type.String(),
  expiresOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  kind: Type.Union([Type.Literal('expiring'), Type.Literal('expired')]),
});
export type CertificateExpiryData = Static<typeof CertificateExpiryData>;

export function certificateExpiryMessage(data: CertificateExpiryData): OutboxMessage {
  return {
    topic: CERTIFICATE_EXPIRY_TOPIC,
    key: data.seafarerId,
    value: createEnvelope({
      type: data.kind === 'expiring' ? CERTIFICATE_EXPIRING_EVENT : CERTIFICATE_EXPIRED_EVENT,
      version: CERTIFICATE_EXPIRY_EVENT_VERSION,
      tenant: data.tenantId,
      data,
    }),
  };
}

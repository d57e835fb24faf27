import { Grammar, type IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import { parseAnswer, type RemoteMedia } from '../media/sdp';

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * A SIP user part (or `tel:` number) as E.164, or undefined: visual separators and user
 * parameters (`;npdi`, `;rn=`) dropped, `00` read as the international prefix. Bare national
 * digits are returned with a `+` only when `accepted` holds that number (a carrier that
 * strips the `+` on the Request-URI); a caller's number without a `+` is not E.164.
 */
export function toE164(user: string | undefined, accepted?: ReadonlySet<string>): string | undefined {
  if (user === undefined) return undefined;
  let number: string;
  try {
    number = decodeURIComponent(user.split(';')[0] ?? '');
  } catch {
    return undefined;
  }
  number = number.replace(/[\s().-]/g, '');
  if (/^00[1-9]/.test(number)) number = `+${number.slice(2)}`;
  if (E164.test(number)) return number;
  if (accepted && /^[1-9][0-9]{6,14}$/.test(number) && accepted.has(`+${number}`)) return `+${number}`;
  return undefined;
}

/** The user part of a `sip:`/`sips:`/`tel:` URI in a header value (`"Ann" <sip:+1415…;npdi@host>;tag=x`). */
function userOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // name-addr: the URI inside the angle brackets; addr-spec: up to the header's own parameters.
  const uri = /<([^>]*)>/.exec(value)?.[1] ?? value.split(';')[0] ?? '';
  const match = /^\s*(?:sips?:([^@]+)@|tel:([^;?]+))/i.exec(uri);
  return match?.[1] ?? match?.[2];
}

/** Why an inbound INVITE is refused before it reaches the engine, with the status to send. */
export interface InboundRefusal {
  readonly status: 400 | 480 | 488;
  readonly reason: string;
}

/** An inbound INVITE that may be offered: who called which of our numbers, and the SDP offer. */
export interface InboundOffer {
  readonly to: string;
  readonly from?: string;
  readonly offer: RemoteMedia;
  /** RFC 3261 12.1.1: the Record-Route values, in order (our route set for the dialog). */
  readonly routeSet: readonly string[];
  /** The caller's Contact URI (our in-dialog requests' target). */
  readonly remoteTarget: string;
}

const CALL_ID = /^[\x21-\x7e]{1,200}$/;
const NO_CONTROL = /^\P{Cc}*$/u;

/**
 * Read an out-of-dialog INVITE as an offer to one of `accepted`, or say why it is refused.
 * Everything later copied into a header of ours (Call-ID, tags, Contact, Record-Route) is
 * checked here, so nothing from the network can break out of a header line (RFC 3261 25.1).
 */
export function readInboundInvite(message: IncomingRequestMessage, accepted: ReadonlySet<string>): InboundOffer | InboundRefusal {
  if (!CALL_ID.test(message.callId) || !message.fromTag || !/^z9hG4bK[\x21-\x7e]{1,120}$/.test(message.viaBranch)) {
    return { status: 400, reason: 'malformed:identifiers' };
  }
  // Our responses copy From and To and tag the To (RFC 3261 8.2.6.2): both must parse.
  if (!parses(message, 'from') || !parses(message, 'to') || message.getHeaders('to').length !== 1) {
    return { status: 400, reason: 'malformed:from-to' };
  }
  const contact = message.getHeader('contact');
  const target = contact === undefined ? undefined : Grammar.nameAddrHeaderParse(contact)?.uri;
  if (!target || (target.scheme !== 'sip' && target.scheme !== 'sips') || !NO_CONTROL.test(target.toString())) {
    return { status: 400, reason: 'malformed:contact' };
  }
  const routeSet = message.getHeaders('record-route');
  if (routeSet.some((route) => !/^\s*(?:"[^"\r\n]*"\s*)?<sips?:[^<>\s"]+>[^<>"\r\n,]*$/.test(route))) {
    return { status: 400, reason: 'malformed:record-route' };
  }
  const to = toE164(message.ruri?.user, accepted) ?? toE164(userOf(message.getHeader('to')), accepted);
  if (to === undefined || !accepted.has(to)) return { status: 480, reason: 'not-accepted' };
  const contentType = message.getHeader('content-type') ?? '';
  let offer: RemoteMedia | undefined;
  try {
    offer = /^application\/sdp\b/i.test(contentType) && message.body ? parseAnswer(message.body) : undefined;
  } catch {
    offer = undefined;
  }
  // RFC 3264 6: no G.711 audio (or an offerless INVITE, which we do not take) gets 488.
  if (!offer) return { status: 488, reason: 'sdp:no-usable-offer' };
  const from = callerOf(message);
  return { to, offer, routeSet: routeSet.map((r) => r.trim()), remoteTarget: target.toString(), ...(from !== undefined && { from }) };
}

/**
 * The caller's number (RFC 3325 P-Asserted-Identity, else the From user) when it is E.164;
 * undefined when withheld (`Privacy: id` or `header`, RFC 3323/3325; an `anonymous` user).
 */
export function callerOf(message: IncomingRequestMessage): string | undefined {
  const privacy = (message.getHeader('privacy') ?? '').toLowerCase();
  if (/\b(id|header|user)\b/.test(privacy)) return undefined;
  for (const identity of message.getHeaders('p-asserted-identity')) {
    const number = toE164(userOf(identity));
    if (number) return number;
  }
  return toE164(userOf(message.getHeader('from')));
}

function parses(message: IncomingRequestMessage, header: string): boolean {
  try {
    return typeof message.parseHeader(header)?.hasParam === 'function';
  } catch {
    return false;
  }
}

/** True for an {@link InboundRefusal}. */
export function isRefusal(read: InboundOffer | InboundRefusal): read is InboundRefusal {
  return 'status' in read;
}

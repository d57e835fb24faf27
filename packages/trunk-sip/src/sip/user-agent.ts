import {
  DigestAuthentication,
  IncomingRequestMessage,
  IncomingResponseMessage,
  LoggerFactory,
  Parser,
  URI,
  UserAgentCore,
} from 'sip.js/lib/core/index.js';
import type { SipTrunkConfig } from '../sip-trunk-options';
import type { SipTransport } from './sip-transport';

/** The URI scheme for a trunk: `sips` over TLS (RFC 3261 19.1), `sip` otherwise. */
export function schemeOf(config: SipTrunkConfig): 'sip' | 'sips' {
  return config.transport === 'tls' ? 'sips' : 'sip';
}

/**
 * SIP.js's user agent core for one trunk: our Contact and Via on `transport`, digest
 * credentials for 401/407 (RFC 3261 22.2), and inbound INVITEs answered with `inboundResponse`
 * (480 or 603) at once — there are no inbound calls yet, and a clean final response leaves
 * no transaction waiting.
 */
export function createUserAgentCore(config: SipTrunkConfig, transport: SipTransport, inboundResponse: 480 | 603): UserAgentCore {
  const loggerFactory = new LoggerFactory();
  loggerFactory.builtinEnabled = false;
  const contactUri = new URI(schemeOf(config), 'paceline', transport.localAddress, transport.localPort, {
    transport: transport.protocol.toLowerCase(),
  });
  return new UserAgentCore(
    {
      aor: new URI(schemeOf(config), 'paceline', config.domain ?? config.host),
      contact: { pubGruu: undefined, tempGruu: undefined, uri: contactUri, toString: () => `<${contactUri.toString()}>` },
      displayName: '',
      loggerFactory,
      hackViaTcp: false,
      routeSet: [],
      sipjsId: 'paceline',
      supportedOptionTags: [],
      supportedOptionTagsResponse: [],
      userAgentHeaderFieldValue: 'Paceline',
      viaForceRport: true,
      // RFC 3261 18.2.2: responses go to the Via sent-by, so it carries our port.
      viaHost: `${transport.localAddress}:${transport.localPort}`,
      authenticationFactory: () =>
        config.username !== undefined ? new DigestAuthentication(loggerFactory, undefined, config.username, config.password) : undefined,
      transportAccessor: () => transport,
    },
    {
      // RFC 3261 21.4.18 / 21.6.2: no inbound calls until the blending work gives them a home.
      onInvite: (incoming) => incoming.reject({ statusCode: inboundResponse }),
    },
  );
}

/** Takes the requests of inbound calls (issue 23: `InboundCalls`); false leaves one to the stack. */
export interface InboundReceiver<Line> {
  receive(line: Line, message: IncomingRequestMessage): boolean;
}

/**
 * Hand one received message to `line`'s core. Requests of inbound calls to accepted numbers
 * go to `inbound`; any other out-of-dialog INVITE gets a stateless `inboundResponse`
 * (480/603): no transaction is created, and its ACK is dropped. Unparseable text is dropped;
 * the caller guards against anything thrown.
 */
export function deliver<Line extends { readonly core: UserAgentCore }>(
  line: Line,
  text: string,
  inboundResponse: 480 | 603,
  inbound: InboundReceiver<Line>,
): void {
  const core = line.core;
  const message = Parser.parseMessage(text, core.loggerFactory.getLogger('sip.parser'));
  if (message instanceof IncomingResponseMessage) core.receiveIncomingResponseFromTransport(message);
  else if (message instanceof IncomingRequestMessage && inbound.receive(line, message)) return;
  else if (message instanceof IncomingRequestMessage && message.method === 'INVITE' && !message.toTag) {
    core.replyStateless(message, { statusCode: inboundResponse });
  } else if (message instanceof IncomingRequestMessage) core.receiveIncomingRequestFromTransport(message);
}

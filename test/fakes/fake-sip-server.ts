/**
 * A scripted, in-process SIP far end for unit tests of the softphone: the
 * registrar, and every other phone the agent talks to, behind one fake
 * WebSocket (FakeSipTransport). It parses what the user agent sends with
 * sip.js's own parser (Core.Parser) and answers as RFC 3261 says a UAS
 * answers: REGISTER (200 with the binding, or a scripted refusal), INVITE
 * and re-INVITE, ACK, BYE, CANCEL, REFER (RFC 3515: 202, then the NOTIFYs
 * the test sends), NOTIFY and INFO. It also places calls to the phone and
 * sends in-dialog requests (BYE, REFER, INFO, re-INVITE) with the dialog's
 * tags, CSeq and remote target, so sip.js's dialog layer takes them as
 * real.
 *
 * There is no proxy in between (no Record-Route): the phone's in-dialog
 * requests go "to" the Contact this fake gave, and all of them land here.
 * Never used by the app.
 */
import { Core } from 'sip.js';
import { FakeSipTransport, type FakeSipWire } from './fake-sip-transport';

type Request = Core.IncomingRequestMessage;
type Response = Core.IncomingResponseMessage;

export const FAKE_DOMAIN = '127.0.0.1';

/** An audio offer / answer the phone can use (PCMU, PCMA, telephone-event). */
export function fakeSdp(options: { codecs?: string; direction?: string; version?: number } = {}) {
  const codecs = options.codecs ?? '0 8 101';
  return [
    'v=0',
    `o=- 1 ${options.version ?? 1} IN IP4 ${FAKE_DOMAIN}`,
    's=-',
    `c=IN IP4 ${FAKE_DOMAIN}`,
    't=0 0',
    `m=audio 40000 RTP/AVP ${codecs}`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    `a=${options.direction ?? 'sendrecv'}`,
    '',
  ].join('\r\n');
}

let counter = 0;
const token = (prefix: string) => `${prefix}${(++counter).toString(36)}x${Date.now() % 997}`;

/** What a scripted answer may be: a status, or a status with a reason phrase. */
export type Answer = number | { status: number; reason?: string };

const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  503: 'Service Unavailable',
  603: 'Decline',
};

function statusOf(answer: Answer): { status: number; reason: string } {
  const status = typeof answer === 'number' ? answer : answer.status;
  const reason = typeof answer === 'number' ? undefined : answer.reason;
  return { status, reason: reason ?? REASONS[status] ?? 'Unknown' };
}

function build(startLine: string, headers: string[], body = '', contentType?: string): string {
  const all = [...headers];
  if (body) all.push(`Content-Type: ${contentType ?? 'application/sdp'}`);
  all.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
  return `${startLine}\r\n${all.join('\r\n')}\r\n\r\n${body}`;
}

/** A response to `request`, with its Via, From, To (tagged), Call-ID and CSeq. */
function responseTo(
  request: Request,
  answer: Answer,
  options: { toTag?: string; headers?: string[]; body?: string; contentType?: string } = {},
): string {
  const { status, reason } = statusOf(answer);
  const to = request.getHeader('To') ?? '';
  const headers = [
    ...request.getHeaders('Via').map((via) => `Via: ${via}`),
    `From: ${request.getHeader('From') ?? ''}`,
    `To: ${options.toTag && !/;\s*tag=/i.test(to) ? `${to};tag=${options.toTag}` : to}`,
    `Call-ID: ${request.callId}`,
    `CSeq: ${request.cseq} ${request.method}`,
    ...(options.headers ?? []),
  ];
  return build(`SIP/2.0 ${status} ${reason}`, headers, options.body, options.contentType);
}

/** Something the test waits for; resolved by the server as messages come in. */
class Waiters<T> {
  private readonly queue: T[] = [];
  private readonly pending: ((value: T) => void)[] = [];
  push(value: T): void {
    const next = this.pending.shift();
    if (next) next(value);
    else this.queue.push(value);
  }
  next(): Promise<T> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve(value);
    return new Promise((resolve) => this.pending.push(resolve));
  }
}

/**
 * The far end of one call (one dialog): the caller who rings the phone, or
 * the party the phone calls. Scripts say how it answers the phone's
 * in-dialog requests; methods send its own.
 */
export class FakeCall {
  readonly callId: string;
  /** Every request the phone sent in this call, in order (INVITE, ACK, BYE, REFER …). */
  readonly requests: Request[] = [];
  /** The phone's responses to this party's requests, in order. */
  readonly responses: Response[] = [];
  state: 'early' | 'confirmed' | 'ended' = 'early';
  /** How a re-INVITE from the phone is answered (hold, resume, recovery). */
  reinviteAnswer: Answer | ((request: Request) => Answer) = 200;
  /** How a REFER from the phone is answered; 202 then NOTIFYs the test sends. */
  referAnswer: Answer = 202;
  /** How an INFO from the phone is answered. */
  infoAnswer: Answer = 200;
  /** How a BYE from the phone is answered. */
  byeAnswer: Answer = 200;
  private readonly waiting = new Map<string, Waiters<Request>>();
  private readonly finals = new Waiters<Response>();
  private cseq = 100;
  /** Our tag, the phone's tag, the phone's Contact (where in-dialog requests go). */
  private readonly localTag: string;
  private remoteTag?: string;
  private remoteTarget?: string;

  constructor(
    private readonly server: FakeSipServer,
    /** Who this party is: the user part of its SIP address ("anna"). */
    readonly user: string,
    /** to-phone: it called the phone; from-phone: the phone called it. */
    readonly direction: 'to-phone' | 'from-phone',
    /** The phone's INVITE (from-phone) or ours (to-phone). */
    private readonly invite: { request?: Request; raw?: string },
    options: { callId?: string; localTag?: string } = {},
  ) {
    this.callId = options.callId ?? invite.request?.callId ?? token('call-');
    this.localTag = options.localTag ?? token('tag-');
    if (invite.request) {
      this.remoteTag = invite.request.fromTag;
      this.remoteTarget = /<([^>]+)>/.exec(invite.request.getHeader('Contact') ?? '')?.[1];
    }
  }

  /** The INVITE the phone sent (a call the phone placed). */
  get inviteRequest(): Request {
    if (!this.invite.request) throw new Error('the phone did not send this INVITE');
    return this.invite.request;
  }

  get uri(): string {
    return `sip:${this.user}@${FAKE_DOMAIN}`;
  }

  /** A Replaces header value (RFC 3891) naming this dialog as the phone knows it. */
  get replaces(): string {
    if (this.remoteTag === undefined) throw new Error('no dialog yet');
    return `${this.callId};to-tag=${this.remoteTag};from-tag=${this.localTag}`;
  }

  /** The next request with this method the phone sends in this call. */
  next(method: string): Promise<Request> {
    return this.queue(method).next();
  }

  /** The phone's next final response to one of our requests in this call. */
  nextFinal(): Promise<Response> {
    return this.finals.next();
  }

  /** Requests with this method the phone sent in this call. */
  sent(method: string): Request[] {
    return this.requests.filter((r) => r.method === method);
  }

  // ── a call the phone placed: answer it ───────────────────────────────────

  ringing(): void {
    this.answerInvite(180);
  }

  /** 200 OK with an SDP answer; the phone's ACK confirms the dialog. */
  answer(sdp = fakeSdp()): void {
    this.answerInvite(200, sdp);
    this.state = 'confirmed';
  }

  reject(answer: Answer): void {
    this.answerInvite(answer);
    this.state = 'ended';
  }

  // ── in-dialog requests to the phone ──────────────────────────────────────

  bye(): void {
    this.state = 'ended';
    this.sendInDialog('BYE');
  }

  /** REFER (RFC 3515): the phone should call `target` (with Replaces for `replaces`). */
  refer(target: string, options: { replaces?: string } = {}): void {
    const uri = target.includes('@') ? `sip:${target}` : `sip:${target}@${FAKE_DOMAIN}`;
    const replaces = options.replaces ? `?Replaces=${encodeURIComponent(options.replaces)}` : '';
    this.sendInDialog('REFER', [`Refer-To: <${uri}${replaces}>`, `Referred-By: <${this.uri}>`]);
  }

  /** INFO (RFC 6086), e.g. a key as application/dtmf-relay. */
  info(contentType: string, body: string): void {
    this.sendInDialog('INFO', [], body, contentType);
  }

  /** A re-INVITE from this party (RFC 3261 14). */
  reinvite(sdp = fakeSdp({ version: 2 })): void {
    this.sendInDialog('INVITE', [], sdp);
  }

  /** A NOTIFY about the phone's REFER (RFC 3515 2.4.4): "SIP/2.0 180 Ringing" etc. */
  notify(sipfrag: string, final = false): void {
    this.sendInDialog(
      'NOTIFY',
      [
        'Event: refer',
        `Subscription-State: ${final ? 'terminated;reason=noresource' : 'active;expires=60'}`,
      ],
      sipfrag,
      'message/sipfrag;version=2.0',
    );
  }

  /** The caller gives up before the phone answered (CANCEL, RFC 3261 9). */
  cancel(): void {
    const raw = this.invite.raw;
    if (!raw || this.direction !== 'to-phone')
      throw new Error('only our own INVITE can be cancelled');
    const request = this.server.parse(raw) as Request;
    this.state = 'ended';
    this.server.request(
      build(`CANCEL ${request.ruri?.toString() ?? ''} SIP/2.0`, [
        `Via: ${request.getHeader('Via') ?? ''}`,
        'Max-Forwards: 70',
        `From: ${request.getHeader('From') ?? ''}`,
        `To: ${request.getHeader('To') ?? ''}`,
        `Call-ID: ${request.callId}`,
        `CSeq: ${request.cseq} CANCEL`,
      ]),
      this,
    );
  }

  // ── what the server hands this call ──────────────────────────────────────

  /** A request the phone sent in this dialog: record it, answer it by script. */
  handleRequest(request: Request): void {
    this.requests.push(request);
    const method = request.method;
    if (method === 'ACK') {
      if (this.state === 'early') this.state = 'confirmed';
    } else if (method === 'BYE') {
      this.server.sendToPhone(responseTo(request, this.byeAnswer));
      this.state = 'ended';
    } else if (method === 'CANCEL') {
      this.server.sendToPhone(responseTo(request, 200));
      if (this.invite.request) this.answerInvite(487);
      this.state = 'ended';
    } else if (method === 'INVITE') {
      const answer =
        typeof this.reinviteAnswer === 'function'
          ? this.reinviteAnswer(request)
          : this.reinviteAnswer;
      const ok = statusOf(answer).status < 300;
      this.server.sendToPhone(
        responseTo(request, answer, {
          headers: [`Contact: <${this.uri};transport=ws>`],
          ...(ok ? { body: fakeSdp({ version: 3 + this.requests.length }) } : {}),
        }),
      );
    } else if (method === 'REFER') {
      this.server.sendToPhone(responseTo(request, this.referAnswer));
    } else if (method === 'INFO') {
      this.server.sendToPhone(responseTo(request, this.infoAnswer));
    } else {
      this.server.sendToPhone(responseTo(request, 200));
    }
    this.queue(method).push(request);
  }

  /** The phone's response to one of our requests in this dialog. */
  handleResponse(response: Response, request: { method: string; raw: string }): void {
    this.responses.push(response);
    const status = response.statusCode ?? 0;
    if (request.method === 'INVITE' && status >= 200) {
      if (status < 300) {
        this.remoteTag = response.toTag;
        this.remoteTarget =
          /<([^>]+)>/.exec(response.getHeader('Contact') ?? '')?.[1] ?? this.remoteTarget;
        this.state = 'confirmed';
        this.sendInDialog('ACK', [], '', undefined, response.cseq);
      } else {
        // A refused INVITE: the ACK belongs to its transaction (RFC 3261 17.1.1.3).
        const invite = this.server.parse(request.raw) as Request;
        if (!this.remoteTag) this.state = 'ended';
        this.server.sendToPhone(
          build(`ACK ${invite.ruri?.toString() ?? ''} SIP/2.0`, [
            `Via: ${invite.getHeader('Via') ?? ''}`,
            'Max-Forwards: 70',
            `From: ${invite.getHeader('From') ?? ''}`,
            `To: ${response.getHeader('To') ?? ''}`,
            `Call-ID: ${invite.callId}`,
            `CSeq: ${invite.cseq} ACK`,
          ]),
        );
      }
    }
    if (status >= 200) this.finals.push(response);
  }

  private queue(method: string): Waiters<Request> {
    let queue = this.waiting.get(method);
    if (!queue) {
      queue = new Waiters<Request>();
      this.waiting.set(method, queue);
    }
    return queue;
  }

  private answerInvite(answer: Answer, sdp?: string): void {
    const invite = this.inviteRequest;
    this.server.sendToPhone(
      responseTo(invite, answer, {
        toTag: this.localTag,
        headers: [`Contact: <${this.uri};transport=ws>`],
        ...(sdp ? { body: sdp } : {}),
      }),
    );
  }

  private sendInDialog(
    method: string,
    extra: string[] = [],
    body = '',
    contentType?: string,
    cseq?: number,
  ): void {
    if (!this.remoteTarget || this.remoteTag === undefined)
      throw new Error(`no dialog yet for ${method}`);
    const number = cseq ?? ++this.cseq;
    // Our side of the dialog: for a call we placed, From is us; for one the
    // phone placed, we are its To.
    const ours = `<${this.uri}>;tag=${this.localTag}`;
    const phone = this.invite.request
      ? `${this.invite.request.getHeader('From') ?? ''}`
      : `<sip:agent@${FAKE_DOMAIN}>;tag=${this.remoteTag}`;
    const raw = build(
      `${method} ${this.remoteTarget} SIP/2.0`,
      [
        `Via: SIP/2.0/WS fake.invalid;branch=z9hG4bK${token('b')}`,
        'Max-Forwards: 70',
        `From: ${ours}`,
        `To: ${phone}`,
        `Call-ID: ${this.callId}`,
        `CSeq: ${number} ${method}`,
        `Contact: <${this.uri};transport=ws>`,
        ...extra,
      ],
      body,
      contentType,
    );
    if (method === 'ACK') this.server.sendToPhone(raw);
    else this.server.request(raw, this);
  }
}

export interface RegisterRecord {
  request: Request;
  status: number;
}

/**
 * The registrar and all far ends. `reachable` false refuses connections;
 * `drop()` breaks the current one (the server went away).
 */
export class FakeSipServer implements FakeSipWire {
  reachable = true;
  /** How REGISTER is answered; 200 echoes the binding with its expiry. */
  registerAnswer: Answer | ((request: Request) => Answer) = 200;
  /** Every message the phone sent, parsed, in order. */
  readonly received: (Request | Response)[] = [];
  readonly registers: RegisterRecord[] = [];
  /** Every call (dialog) by Call-ID, either direction. */
  readonly calls = new Map<string, FakeCall>();
  /** Users who are not there: INVITEs to them get this answer at once. */
  readonly unreachableUsers = new Map<string, Answer>();
  private transport?: FakeSipTransport;
  private readonly invites = new Waiters<FakeCall>();
  private readonly pendingRequests = new Map<
    string,
    { method: string; raw: string; call: FakeCall }
  >();
  private readonly logger = (() => {
    const factory = new Core.LoggerFactory();
    factory.builtinEnabled = false;
    return factory.getLogger('sip.fake-server');
  })();

  /** The class sip.js instantiates (UserAgentOptions.transportConstructor). */
  get transportConstructor(): new (logger: unknown, options: unknown) => FakeSipTransport {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const server = this;
    return class extends FakeSipTransport {
      constructor(_logger: unknown, _options: unknown) {
        super(server);
      }
    };
  }

  get connected(): boolean {
    return this.transport?.isConnected() ?? false;
  }

  attach(transport: FakeSipTransport): void {
    this.transport = transport;
  }

  detach(transport: FakeSipTransport): void {
    if (this.transport === transport) this.transport = undefined;
  }

  /** The server goes away: the connection breaks; `reachable` says whether it comes back. */
  drop(reachable = false): void {
    this.reachable = reachable;
    this.transport?.lose();
  }

  /** The next call the phone places (its INVITE). */
  nextCall(): Promise<FakeCall> {
    return this.invites.next();
  }

  /** Requests with this method the phone sent (outside or inside calls). */
  sent(method: string): Request[] {
    return this.received.filter(
      (m): m is Request => m instanceof Core.IncomingRequestMessage && m.method === method,
    );
  }

  /** `user` calls the phone: an INVITE with an SDP offer. */
  call(
    user: string,
    options: { displayName?: string; sdp?: string; replaces?: string; callId?: string } = {},
  ): FakeCall {
    const callId = options.callId ?? token('in-');
    const localTag = token('tag-');
    // A quoted-string (RFC 3261 25.1): quotes and backslashes escaped.
    const name = options.displayName
      ? `"${options.displayName.replace(/[\\"]/g, (c) => `\\${c}`)}" `
      : '';
    const raw = build(
      `INVITE sip:agent@${FAKE_DOMAIN} SIP/2.0`,
      [
        `Via: SIP/2.0/WS fake.invalid;branch=z9hG4bK${token('b')}`,
        'Max-Forwards: 70',
        `From: ${name}<sip:${user}@${FAKE_DOMAIN}>;tag=${localTag}`,
        `To: <sip:agent@${FAKE_DOMAIN}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 INVITE',
        `Contact: <sip:${user}@${FAKE_DOMAIN};transport=ws>`,
        'Allow: INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, INFO',
        'Supported: replaces',
        ...(options.replaces ? [`Replaces: ${options.replaces}`] : []),
      ],
      options.sdp ?? fakeSdp(),
    );
    const call = new FakeCall(this, user, 'to-phone', { raw }, { callId, localTag });
    this.calls.set(callId, call);
    this.request(raw, call);
    return call;
  }

  /** A message for the phone (lost if it is not connected). */
  sendToPhone(raw: string): void {
    this.transport?.deliver(raw);
  }

  /** A request of ours: its responses go to `call`. */
  request(raw: string, call: FakeCall): void {
    const parsed = this.parse(raw) as Request;
    // CANCEL shares its INVITE's branch (RFC 3261 9.1): the CSeq method tells them apart.
    this.pendingRequests.set(`${parsed.viaBranch} ${parsed.method}`, {
      method: parsed.method,
      raw,
      call,
    });
    this.sendToPhone(raw);
  }

  parse(raw: string): Request | Response {
    const message = Core.Parser.parseMessage(raw, this.logger);
    if (!message) throw new Error(`unparsable SIP message:\n${raw}`);
    return message;
  }

  receive(raw: string): void {
    const message = this.parse(raw);
    this.received.push(message);
    if (message instanceof Core.IncomingResponseMessage) {
      const key = `${message.viaBranch} ${message.method}`;
      const pending = this.pendingRequests.get(key);
      if (!pending) return;
      if ((message.statusCode ?? 0) >= 200) this.pendingRequests.delete(key);
      pending.call.handleResponse(message, pending);
      return;
    }
    const request = message as Request;
    if (request.method === 'REGISTER') {
      this.register(request);
      return;
    }
    const known = this.calls.get(request.callId);
    if (known) {
      known.handleRequest(request);
      return;
    }
    if (request.method === 'INVITE') {
      const user = request.ruri?.user ?? '';
      const call = new FakeCall(this, user, 'from-phone', { request });
      this.calls.set(request.callId, call);
      call.requests.push(request);
      const refused = this.unreachableUsers.get(user);
      if (refused !== undefined) {
        call.reject(refused);
        return;
      }
      this.sendToPhone(responseTo(request, 100));
      this.invites.push(call);
      return;
    }
    // Out of any dialog we know: RFC 3261 12.2.2.
    if (request.method !== 'ACK') this.sendToPhone(responseTo(request, 481));
  }

  private register(request: Request): void {
    const answer =
      typeof this.registerAnswer === 'function'
        ? this.registerAnswer(request)
        : this.registerAnswer;
    const { status } = statusOf(answer);
    this.registers.push({ request, status });
    const contact = request.getHeader('Contact') ?? '';
    const expires =
      /;\s*expires=(\d+)/i.exec(contact)?.[1] ?? request.getHeader('Expires') ?? '300';
    const headers =
      status < 300 && expires !== '0'
        ? [`Contact: ${contact.replace(/;\s*expires=\d+/i, '')};expires=${expires}`]
        : [];
    this.sendToPhone(responseTo(request, answer, { toTag: token('reg-'), headers }));
  }
}

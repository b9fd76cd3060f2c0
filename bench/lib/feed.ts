/**
 * The inbound workload: messages from a district's class groups as a platform adapter would
 * deliver them, in simulated time (school days from 07:00 to 21:30, a steady volume per day),
 * with a small share of redeliveries (same event id) as platforms do.
 */
import type { InboundMessage, MessageElement } from '../../src/model.js';
import { addDays, zonedToUtc } from '../../src/time.js';
import { Corpus, type MessageKind } from './corpus.js';
import type { DistrictGroup } from './district.js';
import { Rng } from './rng.js';

export interface FeedOptions {
  groups: DistrictGroup[];
  membersPerGroup: number;
  seed: number;
  /** First simulated local day (YYYY-MM-DD, Asia/Shanghai). */
  startDate: string;
  /** Messages per simulated school day across the district. */
  perDay: number;
  /** Share of deliveries that repeat a recent event (platform redelivery). */
  redeliveryShare?: number;
  /** Share of messages written by the class's staff. */
  staffShare?: number;
}

export interface FedMessage {
  msg: InboundMessage;
  kind: MessageKind | 'redelivery';
  /** Index of the group in the district and of the sender among its members (-1 for staff). */
  group: number;
  member: number;
}

const TZ = 'Asia/Shanghai';
const DAY_START = 7 * 60;
const DAY_END = 21 * 60 + 30;

export class Feed {
  private readonly rng: Rng;
  private readonly corpus: Corpus;
  private readonly recent: InboundMessage[] = [];
  private seq = 0;
  private date: string;
  private minute = DAY_START;
  private readonly step: number;

  constructor(private readonly opts: FeedOptions) {
    this.rng = new Rng(opts.seed);
    this.corpus = new Corpus(opts.seed ^ 0x5bd1e995);
    this.date = opts.startDate;
    this.step = (DAY_END - DAY_START) / opts.perDay;
  }

  /** The simulated instant of the latest message. */
  get now(): number {
    return zonedToUtc(this.date, Math.floor(this.minute), TZ) + Math.floor((this.minute % 1) * 60_000);
  }

  next(): FedMessage {
    this.minute += this.step;
    if (this.minute >= DAY_END) {
      this.date = addDays(this.date, 1);
      this.minute = DAY_START;
    }
    if (this.recent.length > 0 && this.rng.chance(this.opts.redeliveryShare ?? 0.005)) {
      const again = this.rng.pick(this.recent);
      return { msg: again, kind: 'redelivery', group: -1, member: -1 };
    }
    const group = this.opts.groups[this.rng.int(this.opts.groups.length)]!;
    const fromStaff = this.rng.chance(this.opts.staffShare ?? 0.03);
    // Some parents write far more than others.
    const member = fromStaff ? -1 : Math.floor(this.opts.membersPerGroup * this.rng.next() ** 2);
    const m = fromStaff ? this.corpus.staff() : this.corpus.member();
    const staffIndex = this.rng.int(group.playbook.staffIds.length);
    const sender = fromStaff
      ? { id: group.playbook.staffIds[staffIndex]!, name: `老师${staffIndex + 1}` }
      : { id: `ou_m${group.index}_${member}`, name: Corpus.memberName(group.index * this.opts.membersPerGroup + member) };
    const elements: MessageElement[] = [{ type: 'text', text: m.text }];
    if (m.image) elements.push({ type: 'image', ref: `img_${this.seq}` });
    const msg: InboundMessage = {
      platform: group.platform,
      eventId: `om_${this.opts.seed}_${++this.seq}`,
      chatType: 'group',
      groupId: group.chatId,
      groupName: `${group.playbook.id} ${group.key}`,
      sender,
      text: m.text,
      elements,
      mentions: [],
      addressed: (m.kind === 'faq' || m.kind === 'question') && this.rng.chance(0.3),
      timestamp: this.now,
    };
    if (this.recent.length < 1000) this.recent.push(msg);
    else this.recent[this.rng.int(1000)] = msg;
    return { msg, kind: m.kind, group: group.index, member };
  }

  burst(n: number): FedMessage[] {
    const out: FedMessage[] = [];
    for (let i = 0; i < n; i++) out.push(this.next());
    return out;
  }
}

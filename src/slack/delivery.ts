/** Turns each outbox effect into Slack calls; what a delivery learns (channel id, message ts) is applied in the completing transaction. */
import type { KnownBlock } from '@slack/types';
import { onChannelCreated, onChannelRefused } from '../app/declare-incident.js';
import type { Effect } from '../app/effects.js';
import { onPersonFetched } from '../app/person-fetched.js';
import { renderDraft } from '../app/postmortem.js';
import type { OutboxItem, Repos, Store } from '../app/ports.js';
import { viewIncident } from '../app/queries.js';
import { channelName } from '../domain/channel-name.js';
import { missNoticeIsStale } from '../domain/cadence.js';
import { type Incident, incidentRef, isActive } from '../domain/incident.js';
import { type Person, pickName } from '../domain/person.js';
import type { Logger } from '../observability/logger.js';
import { announcement, channelNotice, channelRefusedReply, declaredReply, directMessage } from './blocks/notices.js';
import { summaryMessage } from './blocks/summary.js';
import { topicText } from './blocks/notices.js';
import { DELIVERY_EVENT_TYPE } from './ids.js';
import type { DeliveryResult } from '../outbox/worker.js';
import { deliverInbound } from './inbound-delivery.js';
import { SlackCallError, type SlackApi } from './slack-api.js';
import { PermanentDeliveryError } from '../outbox/failure.js';

/** What the deliverer needs. */
export interface DeliveryDeps {
  api: SlackApi;
  store: Store;
  clock: () => number;
  logger: Logger;
  announceChannel: string | null;
  /** Posts to a slash command's response_url (not part of the Web API). */
  respond: (responseUrl: string, body: Record<string, unknown>) => Promise<void>;
  /** A status page is connected: the summary shows its button. */
  statuspage?: boolean;
}

interface Message { text: string; blocks?: KnownBlock[] }

const done: DeliveryResult = { outcome: 'done' };
const isUserId = (id: string) => /^[UW][A-Z0-9]+$/.test(id);
const waitForChannel: DeliveryResult = { outcome: 'defer', retryInMs: 500, reason: 'waiting for the incident channel' };
/** Work that needs the channel waits for it, unless Slack refused to create it or the incident was cancelled: then it is dropped. */
const noChannel = (incident: Incident): DeliveryResult => (incident.channelError || incident.status === 'closed' ? done : waitForChannel);
const MAX_NAME_ATTEMPTS = 20;

/** The fields of users.info's `user` the people directory keeps. */
interface SlackUser {
  name?: string;
  real_name?: string;
  tz?: string;
  tz_offset?: number;
  profile?: { display_name?: string; real_name?: string };
}

/** A people-directory entry from users.info: display name, else real name, else the handle. */
function personFromSlack(userId: string, u: SlackUser, now: number): Person | null {
  const name = pickName({ displayName: u.profile?.display_name, realName: u.profile?.real_name ?? u.real_name, handle: u.name });
  if (name === null) return null;
  return { userId, name, tz: u.tz || null, tzOffsetSec: typeof u.tz_offset === 'number' ? u.tz_offset : null, fetchedAt: now };
}

/** Builds the function the outbox worker calls for each item. */
export function createDeliverer(deps: DeliveryDeps): (item: OutboxItem) => Promise<DeliveryResult> {
  const { api, store } = deps;

  async function incidentOf(effect: Effect & { incidentId: number }): Promise<Incident | null> {
    const incident = await store.incidents.get(effect.incidentId);
    if (!incident) deps.logger.warn({ incident: incidentRef(effect.incidentId) }, 'outbox: incident vanished; dropping its effect');
    return incident;
  }

  /** Posts a message once: after an ambiguous failure, first looks for it by its delivery key. */
  async function postOnce(item: OutboxItem, channel: string, message: Message): Promise<string> {
    if (item.attempts > 0) {
      // A DM is addressed by user id; its history lives in the IM channel that conversations.open names.
      const found = await (isUserId(channel) ? openIm(channel) : Promise.resolve(channel))
        .then((ch) => findDelivered(ch, item)).catch(() => null);
      if (found) return found;
    }
    const res = await api.call<{ ts?: string }>('chat.postMessage', {
      channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false,
      metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: item.key } },
    });
    return res.ts ?? '';
  }

  async function openIm(userId: string): Promise<string> {
    const res = await api.call<{ channel?: { id: string } }>('conversations.open', { users: userId });
    if (!res.channel?.id) throw new Error('conversations.open returned no channel');
    return res.channel.id;
  }

  async function uploadedSince(channel: string, name: string, since: number): Promise<boolean> {
    const res = await api.call<{ files?: { name?: string }[] }>('files.list', { channel, ts_from: String(Math.floor((since - 5_000) / 1000)), count: 100 });
    return res.files?.some((f) => f.name === name) ?? false;
  }

  async function findDelivered(channel: string, item: OutboxItem): Promise<string | null> {
    const res = await api.call<{ messages?: { ts: string; metadata?: { event_type?: string; event_payload?: { key?: string } } }[] }>('conversations.history', {
      channel, oldest: String((item.createdAt - 60_000) / 1000), limit: 200, include_all_metadata: true,
    });
    const hit = res.messages?.find((m) => m.metadata?.event_type === DELIVERY_EVENT_TYPE && m.metadata.event_payload?.key === item.key);
    return hit?.ts ?? null;
  }

  let botUser: Promise<string> | null = null;
  /** The bot's own user id, asked of auth.test once (again after a failure). */
  function botUserId(): Promise<string> {
    botUser ??= api.call<{ user_id?: string }>('auth.test', {}).then((r) => {
      if (!r.user_id) throw new Error('auth.test named no user_id');
      return r.user_id;
    });
    botUser.catch(() => { botUser = null; });
    return botUser;
  }

  /**
   * A channel named `name` that the bot itself created since the item was queued, i.e. by an earlier attempt. A channel
   * someone else created (even one the bot is in) is theirs: the caller moves on to another name instead of taking it over.
   */
  async function findCreated(name: string, since: number): Promise<{ id: string; name: string } | null> {
    type Page = { channels?: { id: string; name: string; is_member?: boolean; created?: number; creator?: string }[]; response_metadata?: { next_cursor?: string } };
    const me = await botUserId();
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await api.call<Page>('conversations.list', { types: 'public_channel', exclude_archived: true, limit: 1000, ...(cursor ? { cursor } : {}) });
      const hit = res.channels?.find((c) => c.name === name && c.creator === me && c.is_member && (c.created ?? 0) * 1000 >= since - 60_000);
      if (hit) return { id: hit.id, name: hit.name };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    return null;
  }

  async function postToAnnounce(item: OutboxItem, message: Message): Promise<void> {
    const channel = deps.announceChannel;
    if (!channel) return;
    try {
      await postOnce(item, channel, message);
    } catch (err) {
      if (!(err instanceof SlackCallError && err.failure.kind === 'slack_error' && err.failure.code === 'not_in_channel')) throw err;
      await api.call('conversations.join', { channel });
      await postOnce(item, channel, message);
    }
  }

  async function ignoring<T>(codes: string[], fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SlackCallError && err.failure.kind === 'slack_error' && codes.includes(err.failure.code)) return null;
      throw err;
    }
  }

  return async function deliver(item: OutboxItem): Promise<DeliveryResult> {
    const effect = item.effect;
    const now = deps.clock();
    switch (effect.kind) {
      case 'inbound':
        return deliverInbound({ api, store, logger: deps.logger, respond: deps.respond }, effect.event, now);
      case 'create_channel': {
        const incident = await incidentOf(effect);
        if (!incident || incident.channelId) return done;
        for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
          const name = channelName(incident.id, incident.title, attempt);
          let created: { channel?: { id: string; name: string } } | null;
          try {
            created = await ignoring(['name_taken'], () => api.call<{ channel?: { id: string; name: string } }>('conversations.create', { name }));
          } catch (err) {
            // Slack refused for another reason (restricted_action, …): no retry can help; say so and let a person decide.
            if (err instanceof SlackCallError && err.failure.kind === 'slack_error') return { outcome: 'done', apply: (tx) => onChannelRefused(tx, incident, err.failure.kind === 'slack_error' ? err.failure.code : 'error', effect.replyTo, now) };
            throw err;
          }
          // After an ambiguous failure the name may be taken by the channel an earlier attempt created: adopt it.
          const channel = created?.channel ?? (item.attempts > 0 ? await findCreated(name, item.createdAt) : null);
          if (!channel) continue; // A taken name never stops a declaration: try the next one.
          return {
            outcome: 'done',
            apply: async (tx: Repos) => {
              await tx.incidents.update(incident.id, { channelId: channel.id, channelName: channel.name }, now);
              await onChannelCreated(tx, { ...incident, channelId: channel.id }, now, deps.announceChannel !== null, effect.replyTo);
            },
          };
        }
        throw new SlackCallError('conversations.create', { kind: 'transient', detail: `no free channel name after ${MAX_NAME_ATTEMPTS} tries` });
      }
      case 'post_summary': {
        const view = await viewIncident(store, effect.incidentId);
        if (!view) return done;
        const { incident } = view;
        if (!incident.channelId) return noChannel(incident);
        if (incident.summaryTs) return done;
        const ts = await postOnce(item, incident.channelId, summaryMessage({ ...view, statuspage: deps.statuspage }, now));
        return {
          outcome: 'done',
          apply: async (tx) => {
            await tx.incidents.update(incident.id, { summaryTs: ts }, now);
            await tx.outbox.enqueue({ kind: 'pin_summary', incidentId: incident.id }, now, { key: `pin_summary:${incident.id}` });
          },
        };
      }
      case 'pin_summary': {
        const incident = await incidentOf(effect);
        if (!incident?.channelId || !incident.summaryTs) return done;
        await ignoring(['already_pinned'], () => api.call('pins.add', { channel: incident.channelId, timestamp: incident.summaryTs }));
        return done;
      }
      case 'refresh_summary': {
        const view = await viewIncident(store, effect.incidentId);
        if (!view) return done;
        // Before the summary is first posted there is nothing to refresh: the first post renders the latest state.
        if (!view.incident.channelId || !view.incident.summaryTs) return done;
        const msg = summaryMessage({ ...view, statuspage: deps.statuspage }, now);
        await ignoring(['is_archived', 'channel_not_found'], () => api.call('chat.update', { channel: view.incident.channelId, ts: view.incident.summaryTs, text: msg.text, blocks: msg.blocks }));
        return done;
      }
      case 'set_topic': {
        const view = await viewIncident(store, effect.incidentId);
        if (!view) return done;
        if (!view.incident.channelId) return noChannel(view.incident);
        await ignoring(['is_archived'], () => api.call('conversations.setTopic', { channel: view.incident.channelId, topic: topicText(view.incident, view.roles) }));
        return done;
      }
      case 'invite': {
        const incident = await incidentOf(effect);
        if (!incident) return done;
        if (!incident.channelId) return noChannel(incident);
        await ignoring(['already_in_channel', 'cant_invite_self', 'is_archived'], () => api.call('conversations.invite', { channel: incident.channelId, users: effect.userIds.join(',') }));
        return done;
      }
      case 'channel_notice': {
        const incident = await incidentOf(effect);
        if (!incident) return done;
        if (!incident.channelId) return noChannel(incident);
        const n = effect.notice;
        if (n.type === 'update_reminder' && missNoticeIsStale(isActive(incident.status), incident.missedUpdates, n.missed, true)) return done;
        const extra = {
          update: n.type === 'status_update' ? (await store.updates.get(n.updateId)) ?? undefined : undefined,
          action: n.type === 'action_added' || n.type === 'action_done' || n.type === 'action_synced' ? (await store.actions.get(incident.id, n.seq)) ?? undefined : undefined,
          ...(n.type === 'statuspage_published' ? { publication: (await store.statuspage.publication(n.publicationId)) ?? undefined, page: (await store.statuspage.pageIncident(incident.id)) ?? undefined } : {}),
        };
        if (n.type === 'action_synced' && extra.action) Object.assign(extra, { issue: (await store.issues.byAction(extra.action.id)) ?? undefined });
        await ignoring(['is_archived'], () => postOnce(item, incident.channelId!, channelNotice(incident, n, extra)));
        return done;
      }
      case 'announce': {
        const incident = await incidentOf(effect);
        if (!incident) return done;
        if (effect.announcement.type === 'declared' && !incident.channelId) return noChannel(incident);
        const a = effect.announcement;
        if (a.type === 'gone_quiet' && missNoticeIsStale(isActive(incident.status), incident.missedUpdates, a.missed, false)) return done;
        const update = a.type === 'status_update' ? (await store.updates.get(a.updateId)) ?? undefined : undefined;
        await postToAnnounce(item, announcement(incident, a, { update }));
        return done;
      }
      case 'dm': {
        const incident = await store.incidents.get(effect.message.incidentId);
        if (!incident) return done;
        const m = effect.message;
        if (m.type === 'escalation' && missNoticeIsStale(isActive(incident.status), incident.missedUpdates, m.missed, false)) return done;
        const action = m.type === 'action_due' ? (await store.actions.get(incident.id, m.seq)) ?? undefined : undefined;
        await postOnce(item, effect.userId, directMessage(incident, m, { action }));
        return done;
      }
      case 'channel_refused': {
        const incident = await incidentOf(effect);
        if (!incident || incident.channelId || !incident.channelError) return done; // retried or cancelled since
        const msg = channelRefusedReply(incident);
        if (effect.responseUrl) await deps.respond(effect.responseUrl, { response_type: 'ephemeral', replace_original: true, ...msg });
        else await postOnce(item, effect.userId, msg);
        return done;
      }
      case 'declared_reply': {
        const incident = await incidentOf(effect);
        if (!incident) return done;
        if (!incident.channelId) return noChannel(incident);
        const msg = declaredReply(incident);
        // Replacing the command's own "setting up" reply makes a re-sent link (after an ambiguous failure) replace, not repeat.
        if (effect.responseUrl) await deps.respond(effect.responseUrl, { response_type: 'ephemeral', replace_original: true, ...msg });
        else await postOnce(item, effect.userId, msg);
        return done;
      }
      case 'archive': {
        const incident = await incidentOf(effect);
        if (!incident?.channelId) return done;
        await ignoring(['already_archived'], () => api.call('conversations.archive', { channel: incident.channelId }));
        return done;
      }
      case 'upload_postmortem': {
        const incident = await incidentOf(effect);
        if (!incident) return done;
        if (!incident.channelId) return noChannel(incident);
        const ref = incidentRef(incident.id);
        // After an ambiguous failure the file may already be in the channel: look before uploading it again.
        if (item.attempts > 0 && (await uploadedSince(incident.channelId, `${ref}-postmortem.md`, item.createdAt).catch(() => false))) return done;
        const markdown = await renderDraft(store, incident.id, now);
        await api.uploadText(incident.channelId, `${ref}-postmortem.md`, markdown, `${ref} postmortem draft`, `Postmortem draft for ${ref}, requested by <@${effect.userId}>. Start from it; fill in the _TODO_ parts.`);
        return done;
      }
      case 'lookup_person': {
        // A user Slack will not show us stays unnamed (rendered by id); nothing to retry.
        const res = await ignoring(['user_not_found', 'user_not_visible'], () => api.call<{ user?: SlackUser }>('users.info', { user: effect.userId }));
        const person = res?.user ? personFromSlack(effect.userId, res.user, now) : null;
        if (!person) return done;
        return { outcome: 'done', apply: (tx) => onPersonFetched(tx, person, now) };
      }
      default:
        // Only the Slack worker calls this deliverer, and it claims Slack effects only.
        throw new PermanentDeliveryError(`not a Slack effect: ${effect.kind}`);
    }
  };
}

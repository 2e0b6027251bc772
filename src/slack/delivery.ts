/** Turns each outbox effect into Slack calls, one handler per effect kind; what a delivery learns (channel id, message ts) is applied in the completing transaction. */
import type { KnownBlock } from '@slack/types';
import { onChannelCreated, onChannelRefused } from '../app/declare-incident.js';
import type { Effect, SlackEffect } from '../app/effects.js';
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
    const res = await api.web.chat.postMessage({
      channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false,
      metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: item.key } },
    });
    return res.ts ?? '';
  }

  async function openIm(userId: string): Promise<string> {
    const res = await api.web.conversations.open({ users: userId });
    if (!res.channel?.id) throw new Error('conversations.open returned no channel');
    return res.channel.id;
  }

  async function uploadedSince(channel: string, name: string, since: number): Promise<boolean> {
    const res = await api.web.files.list({ channel, ts_from: String(Math.floor((since - 5_000) / 1000)), count: 100 });
    return res.files?.some((f) => f.name === name) ?? false;
  }

  async function findDelivered(channel: string, item: OutboxItem): Promise<string | null> {
    const res = await api.web.conversations.history({
      channel, oldest: String((item.createdAt - 60_000) / 1000), limit: 200, include_all_metadata: true,
    });
    const hit = res.messages?.find((m) => m.metadata?.event_type === DELIVERY_EVENT_TYPE && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === item.key);
    return hit?.ts ?? null;
  }

  let botUser: Promise<string> | null = null;
  /** The bot's own user id, asked of auth.test once (again after a failure). */
  function botUserId(): Promise<string> {
    botUser ??= api.web.auth.test().then((r) => {
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
    const me = await botUserId();
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await api.web.conversations.list({ types: 'public_channel', exclude_archived: true, limit: 1000, ...(cursor ? { cursor } : {}) });
      const hit = res.channels?.find((c) => c.name === name && c.creator === me && c.is_member && (c.created ?? 0) * 1000 >= since - 60_000);
      if (hit?.id && hit.name) return { id: hit.id, name: hit.name };
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
      await api.web.conversations.join({ channel });
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

  /**
   * The one "channel must exist" guard: runs `fn` with the incident's channel id; without one, the work waits for the
   * channel, or is dropped when Slack refused to create it or the incident was cancelled.
   */
  function inChannel(incident: Incident, fn: (channelId: string) => Promise<DeliveryResult>): Promise<DeliveryResult> {
    return incident.channelId ? fn(incident.channelId) : Promise.resolve(noChannel(incident));
  }

  /** One handler per Slack effect kind. */
  const handlers: { [K in SlackEffect['kind']]: (effect: Extract<SlackEffect, { kind: K }>, item: OutboxItem, now: number) => Promise<DeliveryResult> } = {
    inbound: (effect, _item, now) => deliverInbound({ api, store, logger: deps.logger, respond: deps.respond }, effect.event, now),

    create_channel: async (effect, item, now) => {
      const incident = await incidentOf(effect);
      if (!incident || incident.channelId) return done;
      for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
        const name = channelName(incident.id, incident.title, attempt);
        let created: { id: string; name: string } | null;
        try {
          const res = await ignoring(['name_taken'], () => api.web.conversations.create({ name }));
          created = res?.channel?.id ? { id: res.channel.id, name: res.channel.name ?? name } : null;
        } catch (err) {
          // Slack refused for another reason (restricted_action, …): no retry can help; say so and let a person decide.
          if (err instanceof SlackCallError && err.failure.kind === 'slack_error') return { outcome: 'done', apply: (tx) => onChannelRefused(tx, incident, err.failure.kind === 'slack_error' ? err.failure.code : 'error', effect.replyTo, now) };
          throw err;
        }
        // After an ambiguous failure the name may be taken by the channel an earlier attempt created: adopt it.
        const channel = created ?? (item.attempts > 0 ? await findCreated(name, item.createdAt) : null);
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
    },

    post_summary: async (effect, item, now) => {
      const view = await viewIncident(store, effect.incidentId);
      if (!view) return done;
      const { incident } = view;
      return inChannel(incident, async (channel) => {
        if (incident.summaryTs) return done;
        const ts = await postOnce(item, channel, summaryMessage({ ...view, statuspage: deps.statuspage }, now));
        return {
          outcome: 'done',
          apply: async (tx) => {
            await tx.incidents.update(incident.id, { summaryTs: ts }, now);
            await tx.outbox.enqueue({ kind: 'pin_summary', incidentId: incident.id }, now, { key: `pin_summary:${incident.id}` });
          },
        };
      });
    },

    pin_summary: async (effect) => {
      const incident = await incidentOf(effect);
      const channel = incident?.channelId;
      const ts = incident?.summaryTs;
      if (!channel || !ts) return done;
      await ignoring(['already_pinned'], () => api.web.pins.add({ channel, timestamp: ts }));
      return done;
    },

    refresh_summary: async (effect, _item, now) => {
      const view = await viewIncident(store, effect.incidentId);
      const channel = view?.incident.channelId;
      const ts = view?.incident.summaryTs;
      // Before the summary is first posted there is nothing to refresh: the first post renders the latest state.
      if (!view || !channel || !ts) return done;
      const msg = summaryMessage({ ...view, statuspage: deps.statuspage }, now);
      await ignoring(['is_archived', 'channel_not_found'], () => api.web.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks }));
      return done;
    },

    set_topic: async (effect) => {
      const view = await viewIncident(store, effect.incidentId);
      if (!view) return done;
      return inChannel(view.incident, async (channel) => {
        await ignoring(['is_archived'], () => api.web.conversations.setTopic({ channel, topic: topicText(view.incident, view.roles) }));
        return done;
      });
    },

    invite: async (effect) => {
      const incident = await incidentOf(effect);
      if (!incident) return done;
      return inChannel(incident, async (channel) => {
        await ignoring(['already_in_channel', 'cant_invite_self', 'is_archived'], () => api.web.conversations.invite({ channel, users: effect.userIds.join(',') }));
        return done;
      });
    },

    channel_notice: async (effect, item) => {
      const incident = await incidentOf(effect);
      if (!incident) return done;
      return inChannel(incident, async (channel) => {
        const n = effect.notice;
        if (n.type === 'update_reminder' && missNoticeIsStale(isActive(incident.status), incident.missedUpdates, n.missed, true)) return done;
        const extra = {
          update: n.type === 'status_update' ? (await store.updates.get(n.updateId)) ?? undefined : undefined,
          action: n.type === 'action_added' || n.type === 'action_done' || n.type === 'action_synced' ? (await store.actions.get(incident.id, n.seq)) ?? undefined : undefined,
          ...(n.type === 'statuspage_published' ? { publication: (await store.statuspage.publication(n.publicationId)) ?? undefined, page: (await store.statuspage.pageIncident(incident.id)) ?? undefined } : {}),
        };
        if (n.type === 'action_synced' && extra.action) Object.assign(extra, { issue: (await store.issues.byAction(extra.action.id)) ?? undefined });
        await ignoring(['is_archived'], () => postOnce(item, channel, channelNotice(incident, n, extra)));
        return done;
      });
    },

    announce: async (effect, item) => {
      const incident = await incidentOf(effect);
      if (!incident) return done;
      const a = effect.announcement;
      const post = async (): Promise<DeliveryResult> => {
        if (a.type === 'gone_quiet' && missNoticeIsStale(isActive(incident.status), incident.missedUpdates, a.missed, false)) return done;
        const update = a.type === 'status_update' ? (await store.updates.get(a.updateId)) ?? undefined : undefined;
        await postToAnnounce(item, announcement(incident, a, { update }));
        return done;
      };
      // Only the declaration's announcement links the channel; the others go out without one.
      return a.type === 'declared' ? inChannel(incident, post) : post();
    },

    dm: async (effect, item) => {
      const incident = await store.incidents.get(effect.message.incidentId);
      if (!incident) return done;
      const m = effect.message;
      if (m.type === 'escalation' && missNoticeIsStale(isActive(incident.status), incident.missedUpdates, m.missed, false)) return done;
      const action = m.type === 'action_due' ? (await store.actions.get(incident.id, m.seq)) ?? undefined : undefined;
      await postOnce(item, effect.userId, directMessage(incident, m, { action }));
      return done;
    },

    channel_refused: async (effect, item) => {
      const incident = await incidentOf(effect);
      if (!incident || incident.channelId || !incident.channelError) return done; // retried or cancelled since
      const msg = channelRefusedReply(incident);
      if (effect.responseUrl) await deps.respond(effect.responseUrl, { response_type: 'ephemeral', replace_original: true, ...msg });
      else await postOnce(item, effect.userId, msg);
      return done;
    },

    declared_reply: async (effect, item) => {
      const incident = await incidentOf(effect);
      if (!incident) return done;
      return inChannel(incident, async () => {
        const msg = declaredReply(incident);
        // Replacing the command's own "setting up" reply makes a re-sent link (after an ambiguous failure) replace, not repeat.
        if (effect.responseUrl) await deps.respond(effect.responseUrl, { response_type: 'ephemeral', replace_original: true, ...msg });
        else await postOnce(item, effect.userId, msg);
        return done;
      });
    },

    archive: async (effect) => {
      const incident = await incidentOf(effect);
      const channel = incident?.channelId;
      if (!channel) return done;
      await ignoring(['already_archived'], () => api.web.conversations.archive({ channel }));
      return done;
    },

    upload_postmortem: async (effect, item, now) => {
      const incident = await incidentOf(effect);
      if (!incident) return done;
      return inChannel(incident, async (channel) => {
        const ref = incidentRef(incident.id);
        const filename = `${ref}-postmortem.md`;
        // After an ambiguous failure the file may already be in the channel: look before uploading it again.
        if (item.attempts > 0 && (await uploadedSince(channel, filename, item.createdAt).catch(() => false))) return done;
        const content = await renderDraft(store, incident.id, now);
        await api.web.files.uploadV2({
          channel_id: channel, filename, content, title: `${ref} postmortem draft`,
          initial_comment: `Postmortem draft for ${ref}, requested by <@${effect.userId}>. Start from it; fill in the _TODO_ parts.`,
        });
        return done;
      });
    },

    lookup_person: async (effect, _item, now) => {
      // A user Slack will not show us stays unnamed (rendered by id); nothing to retry.
      const res = await ignoring(['user_not_found', 'user_not_visible'], () => api.web.users.info({ user: effect.userId }));
      const person = res?.user ? personFromSlack(effect.userId, res.user, now) : null;
      if (!person) return done;
      return { outcome: 'done', apply: (tx) => onPersonFetched(tx, person, now) };
    },
  };

  return async function deliver(item: OutboxItem): Promise<DeliveryResult> {
    const effect = item.effect;
    // Only the Slack worker calls this deliverer, and it claims Slack effects only.
    if (!Object.hasOwn(handlers, effect.kind)) throw new PermanentDeliveryError(`not a Slack effect: ${effect.kind}`);
    const handler = handlers[effect.kind as SlackEffect['kind']] as (effect: SlackEffect, item: OutboxItem, now: number) => Promise<DeliveryResult>;
    return handler(effect as SlackEffect, item, deps.clock());
  };
}

/** The usual set-up: Slack emulator and load in this process, the real bot in a child (and optionally a bare Bolt app in another). */
import { BOT_TOKEN, SIGNING_SECRET } from '../../test/e2e/harness.js';
import { SlackDriver, SlackEmulator, type EmuChannel } from '../../test/slack-emulator/index.js';
import { BotProcess } from './bot-process.js';

export { BOT_TOKEN, SIGNING_SECRET };

/** A running rig. */
export interface Rig {
  emu: SlackEmulator;
  proc: BotProcess;
  /** The bare Bolt app's own process, when started. */
  bare: BotProcess | null;
  /** Signed requests to the real bot. */
  driver: SlackDriver;
  /** Signed requests to the bare app, when started. */
  bareDriver: SlackDriver | null;
  /** The announce channel's id. */
  announce: string;
  close(): Promise<void>;
}

/** Starts the emulator here and the bot in a child process pointed at it (and, with `bare`, the bare app in a second one). */
export async function startRig(opts: { bare?: boolean; env?: Record<string, string>; execArgv?: string[]; processEnv?: Record<string, string>; databaseUrl?: string } = {}): Promise<Rig> {
  const emu = new SlackEmulator();
  await emu.start();
  const announce = emu.createChannel('incidents', { members: ['U0BOT'] }).id;
  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, ANNOUNCE_CHANNEL: announce, ...opts.env };
  let proc: BotProcess | null = null;
  let bare: BotProcess | null = null;
  try {
    proc = await BotProcess.start({ env, ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), ...(opts.execArgv ? { execArgv: opts.execArgv } : {}), ...(opts.processEnv ? { processEnv: opts.processEnv } : {}) });
    // The bare app gets a process of its own, so neither one's garbage collection lands in the other's measurements.
    if (opts.bare) bare = await BotProcess.start({ env, botless: true });
  } catch (err) {
    await proc?.stop().catch(() => undefined);
    await emu.stop();
    throw err;
  }
  return {
    emu, proc, announce, bare,
    driver: new SlackDriver({ botUrl: proc.botUrl, signingSecret: SIGNING_SECRET, emulator: emu }),
    bareDriver: bare?.bareUrl ? new SlackDriver({ botUrl: bare.bareUrl, signingSecret: SIGNING_SECRET, emulator: emu }) : null,
    async close() {
      await bare?.stop().catch(() => undefined);
      await proc?.stop().catch(() => undefined);
      await emu.stop();
    },
  };
}

/** Declares an incident through the real command and waits until its channel exists; returns the channel. */
export async function declareAndWait(rig: Rig, title: string, severity = 'sev3', userId = 'U0001'): Promise<EmuChannel> {
  const before = new Set(rig.emu.channels.map((c) => c.id));
  const res = await rig.driver.command(`declare ${severity} ${title}`, { userId });
  if (res.status !== 200) throw new Error(`declare answered HTTP ${res.status}: ${res.text}`);
  return rig.emu.waitFor(() => rig.emu.channels.find((c) => !before.has(c.id) && c.name.startsWith('inc-')), { timeoutMs: 10_000, message: `channel of "${title}"` });
}

/** A proxy between the bot and the Slack emulator that can kill the bot right after Slack applied a call, before the bot reads the answer. */
import { SlackProxy, type AnswerFate } from './slack-proxy.js';

/** Called once Slack (the emulator) has answered call number `index` (0-based, counted since `arm`), before the bot gets the answer. */
export type AnsweredHook = (index: number, method: string) => Promise<'forward' | 'drop'>;

/** Forwards Web API calls to the emulator; the hook may kill the bot and drop the answer. */
export class CrashProxy extends SlackProxy {
  private armed = false;
  /** Methods of the calls seen since `arm`, in the order Slack answered them. */
  readonly calls: string[] = [];
  hook: AnsweredHook | null = null;

  /** Starts counting calls (after the bot's own start-up calls). */
  arm(): void {
    this.armed = true;
  }

  protected async fate(method: string): Promise<AnswerFate> {
    if (!this.armed) return { kind: 'forward' };
    const index = this.calls.push(method) - 1;
    return this.hook && (await this.hook(index, method)) === 'drop' ? { kind: 'drop' } : { kind: 'forward' };
  }
}

/** A proxy between the bot and the Slack emulator that loses answers after Slack acted: the ambiguous failures. */
import { SlackProxy, type AnswerFate } from './slack-proxy.js';

/** How an answer is lost. */
export type LossMode = 'drop' | 'hold' | 'withhold';

/**
 * A loopback proxy in front of the emulator that lets Slack act on a call and then loses the answer:
 * `drop` resets the connection after the emulator answered; `hold` keeps the answer past the client's timeout;
 * `withhold` never answers (until the proxy stops or the bot dies).
 */
export class AnswerLosingProxy extends SlackProxy {
  private rules: { method: string; mode: LossMode; holdMs: number; remaining: number }[] = [];
  /** Methods whose answer was lost, in order. */
  readonly lost: string[] = [];
  /** Calls Slack acted on whose answer was withheld. */
  withheld = 0;

  /** Loses the answer of the next `times` calls to `method`. */
  loseAnswer(method: string, mode: LossMode, times = 1, holdMs = 0): void {
    this.rules.push({ method, mode, holdMs, remaining: times });
  }

  /** From now on withholds every answer of these methods (an empty list answers normally again). */
  withholdAnswers(methods: string[]): void {
    this.rules = this.rules.filter((r) => r.mode !== 'withhold');
    for (const method of methods) this.rules.push({ method, mode: 'withhold', holdMs: 0, remaining: Infinity });
  }

  protected fate(method: string): AnswerFate {
    const rule = this.rules.find((r) => r.method === method && r.remaining > 0);
    if (!rule) return { kind: 'forward' };
    rule.remaining--;
    this.lost.push(method);
    if (rule.mode === 'withhold') this.withheld++;
    return rule.mode === 'hold' ? { kind: 'hold', ms: rule.holdMs } : { kind: rule.mode };
  }
}

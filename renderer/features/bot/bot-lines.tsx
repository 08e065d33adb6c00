/**
 * The bot's lines, beside the agent's call: how many calls the bot has on
 * lines of their own, how many it may take, how many callers heard busy
 * because every line was in use, and per line who calls and what the bot
 * does. A line whose bot handed over comes to the agent's screen by itself
 * once the agent is free; until then it says "wartet auf Sie".
 */
import { formatCaller } from '../../i18n/phone-number';
import { isLive } from '../../phone/call-machine';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './bot-messages';
import type { BotState } from '../../../electron/contract';

function activity(state: BotState | undefined): 'Talking' | 'Listening' | 'Handoff' | 'Ending' {
  if (state?.phase === 'handoff') return 'Handoff';
  if (state?.phase === 'hangup' || state?.phase === 'ended') return 'Ending';
  return state?.speaking ? 'Talking' : 'Listening';
}

export function BotLines() {
  const { phoneStore, botStore } = useServices();
  const t = useT();
  const lines = useFrom(phoneStore, (s) => s.lines);
  const max = useFrom(phoneStore, (s) => s.policy.botLines);
  const botFirst = useFrom(phoneStore, (s) => s.policy.botFirst);
  const refused = useFrom(
    phoneStore,
    (s) => s.missed.filter((m) => m.reason.code === 'all-lines-busy').length,
  );
  const states = useFrom(botStore, (s) => s.lines);
  const botLines = lines.filter((l) => l.botLine && isLive(l.state));
  if (!botFirst && botLines.length === 0) return null;
  return (
    <section
      aria-labelledby="bot-lines-heading"
      className="panel bot-lines"
      data-testid="bot-lines"
    >
      <h2 id="bot-lines-heading">{t('botLines')}</h2>
      <p
        role="status"
        data-testid="bot-lines-count"
        data-in-use={botLines.length}
        data-refused={refused}
      >
        {t('botLinesInUse', { n: botLines.length, max })}
        {refused > 0 && <> · {t('botLinesRefused', { n: refused })}</>}
      </p>
      {botLines.length > 0 && (
        <ul data-testid="bot-line-list">
          {botLines.map((line) => {
            const doing = activity(line.id ? states[line.id] : undefined);
            return (
              <li key={line.id} data-call-id={line.id} data-activity={doing.toLowerCase()}>
                <strong>{formatCaller(line.remote, line.remoteName)}</strong>{' '}
                <span className={`badge ${doing === 'Handoff' ? 'waiting' : 'held'}`}>
                  {t(`botLine${doing}`)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

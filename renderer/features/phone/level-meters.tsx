/** Speech energy of both legs, as measured by the engine (not the browser). */
import { LevelMeter } from '../../ui/level-meter';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './phone-messages';

export function LevelMeters() {
  const { engineStore } = useServices();
  const t = useT();
  const caller = useFrom(engineStore, (s) => s.levels.caller);
  const agent = useFrom(engineStore, (s) => s.levels.agent);
  return (
    <section aria-labelledby="audio-heading" className="panel">
      <h2 id="audio-heading">{t('audio')}</h2>
      <LevelMeter
        id="level-caller"
        label={t('levelCaller')}
        dbfs={caller?.rmsDbfs}
        speech={caller?.speech ?? false}
        seq={caller?.seq}
      />
      <LevelMeter
        id="level-agent"
        label={t('levelAgent')}
        dbfs={agent?.rmsDbfs}
        speech={agent?.speech ?? false}
        seq={agent?.seq}
      />
    </section>
  );
}

/** A level meter that a screen reader can read (role="meter"). */
export function LevelMeter(props: {
  label: string;
  dbfs: number | undefined;
  speech: boolean;
  /** The engine's frame number: changes with every measured frame, even at a steady level. */
  seq?: number | undefined;
  id: string;
}) {
  const value = props.dbfs ?? -100;
  const percent = Math.max(0, Math.min(100, ((value + 70) / 70) * 100));
  return (
    <div className="meter-row">
      <span id={`${props.id}-label`} className="meter-label">
        {props.label}
      </span>
      <div
        role="meter"
        aria-labelledby={`${props.id}-label`}
        aria-valuemin={-100}
        aria-valuemax={0}
        aria-valuenow={Math.round(value)}
        aria-valuetext={`${Math.round(value)} dBFS${props.speech ? ' · Sprache' : ''}`}
        data-testid={props.id}
        data-dbfs={value}
        data-seq={props.seq}
        data-speech={props.speech}
        className={`meter${props.speech ? ' meter-speech' : ''}`}
      >
        <div className="meter-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="meter-value">
        {props.dbfs === undefined ? '–' : `${Math.round(value)} dB`}
      </span>
    </div>
  );
}
